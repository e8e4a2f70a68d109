import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/**
 * Kysely's view of the tables created by db/migrations. test/db/schema-drift.test.ts
 * compares it with the migrated catalog, so a migration without a matching change here fails CI.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface CompaniesTable {
  id: Generated<number>
  name: string
  created_at: Generated<Timestamp>
}

export interface UsersTable {
  id: Generated<number>
  company_id: number
  email: string
  password_hash: string
  role: Generated<'viewer' | 'admin' | 'owner'>
  is_active: Generated<boolean>
  password_changed_at: Generated<Timestamp>
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

export interface RefreshTokensTable {
  id: Generated<number>
  user_id: number
  token_hash: string
  family_id: string
  parent_id: number | null
  created_at: Generated<Timestamp>
  expires_at: Timestamp
  family_expires_at: Timestamp
  used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface Database {
  companies: CompaniesTable
  users: UsersTable
  refresh_tokens: RefreshTokensTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Company = Selectable<CompaniesTable>
export type RefreshToken = Selectable<RefreshTokensTable>
