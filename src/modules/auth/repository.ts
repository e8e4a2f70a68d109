import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Database, UsersTable } from '../../db/schema.js'
import type { Role } from '../../plugins/authentication.js'

type Db = Kysely<Database> | Transaction<Database>
export type UserRow = Selectable<UsersTable>

export function findUserByEmail (db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

/**
 * The user row, locked: every change to a user's sessions takes this lock first (`update` to end
 * them: logout, and password change and deactivation by updating the row; `share` to rotate one),
 * so a revocation and a rotation never interleave: the revocation's next statement sees the token
 * a rotation issued before it, or the rotation finds its token revoked.
 */
export function lockUser (db: Db, id: number, mode: 'share' | 'update'): Promise<UserRow | undefined> {
  const select = db.selectFrom('users').selectAll().where('id', '=', id)
  return (mode === 'share' ? select.forShare() : select.forUpdate()).executeTakeFirst()
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

/**
 * Replaces the hash only if it is still `verifiedHash`, the one the caller checked the password
 * against: of two changes (or a change and a login's rehash) racing, the later one changes nothing.
 * True when it replaced it.
 */
export async function replacePasswordHash (db: Db, userId: number, verifiedHash: string, passwordHash: string, changed: boolean): Promise<boolean> {
  const result = await db.updateTable('users')
    .set((eb) => ({ password_hash: passwordHash, updated_at: eb.fn('now'), ...(changed ? { password_changed_at: eb.fn('now') } : {}) }))
    .where('id', '=', userId).where('password_hash', '=', verifiedHash).executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function setUserActive (db: Db, companyId: number, userId: number, isActive: boolean): Promise<UserRow | undefined> {
  return db.updateTable('users')
    .set((eb) => ({ is_active: isActive, updated_at: eb.fn('now') }))
    .where('id', '=', userId).where('company_id', '=', companyId)
    .returningAll().executeTakeFirst()
}
