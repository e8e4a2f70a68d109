import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Database, UsersTable } from '../../db/schema.js'
import type { Role } from '../../plugins/authentication.js'

type Db = Kysely<Database> | Transaction<Database>
export type UserRow = Selectable<UsersTable>

export function findUserByEmail (db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

export function findUserById (db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

/** A user of the given company: another company's user is simply not found. */
export function findUserInCompany (db: Db, companyId: number, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst()
}

export function listCompanyUsers (db: Db, companyId: number): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('company_id', '=', companyId).orderBy('id').execute()
}

export async function companyNameTaken (db: Db, name: string): Promise<boolean> {
  const row = await db.selectFrom('companies').select('id').where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase())).executeTakeFirst()
  return row !== undefined
}

export async function insertCompany (db: Db, name: string): Promise<number> {
  const row = await db.insertInto('companies').values({ name }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export function insertUser (db: Db, values: { companyId: number, email: string, passwordHash: string, role: Role }): Promise<UserRow> {
  return db.insertInto('users')
    .values({ company_id: values.companyId, email: values.email, password_hash: values.passwordHash, role: values.role })
    .returningAll().executeTakeFirstOrThrow()
}

export async function updatePasswordHash (db: Db, userId: number, passwordHash: string, changed: boolean): Promise<void> {
  await db.updateTable('users')
    .set((eb) => ({ password_hash: passwordHash, updated_at: eb.fn('now'), ...(changed ? { password_changed_at: eb.fn('now') } : {}) }))
    .where('id', '=', userId).execute()
}

export async function setUserActive (db: Db, companyId: number, userId: number, isActive: boolean): Promise<UserRow | undefined> {
  return db.updateTable('users')
    .set((eb) => ({ is_active: isActive, updated_at: eb.fn('now') }))
    .where('id', '=', userId).where('company_id', '=', companyId)
    .returningAll().executeTakeFirst()
}
