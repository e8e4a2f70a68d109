import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import { conflict, HttpProblem, notFound } from '../../errors.js'
import type { AuthUser, Role } from '../../plugins/authentication.js'
import { COMPANY_NAME_MAX, type CreateUserInput, type RegisterInput, type UserView } from '../../../schemas/auth.js'
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from './passwords.js'
import * as users from './repository.js'
import { revokeUserFamilies } from './refresh-repository.js'
import { DEFAULT_COMPANY_NAME } from './default-owner.js'
import { announce, revokeAccessTokens } from './access-revocation.js'

const LOCK_NOT_AVAILABLE = '55P03'

/** Emails compare trimmed and lower-cased everywhere (the column's CHECK insists on it). */
export function normaliseEmail (email: string): string {
  return email.trim().toLowerCase()
}

/** The one place a user row becomes its API shape: never the hash. */
export function toUser (row: users.UserRow): UserView {
  return { id: row.id, email: row.email, role: row.role, company_id: row.company_id, is_active: row.is_active, created_at: new Date(row.created_at as unknown as Date).toISOString() }
}

const wrongCredentials = () => new HttpProblem(401, 'Incorrect email or password.', {
  headers: { 'www-authenticate': 'Bearer realm="campaign-analytics"' }
})

function assertAcceptablePassword (password: string, email: string) {
  const problem = passwordProblem(password, email)
  if (problem) throw new HttpProblem(400, problem, { errors: [{ field: 'body.password', message: problem }] })
}

async function assertEmailFree (db: Kysely<Database>, email: string) {
  if (await users.findUserByEmail(db, email)) throw conflict('An account with this email already exists: log in, or ask your company owner to add you.')
}

/** A new company with its first user as owner; joining an existing company by name is refused. */
export async function register (db: Kysely<Database>, body: RegisterInput): Promise<UserView> {
  const email = normaliseEmail(body.email)
  assertAcceptablePassword(body.password, email)
  const companyName = (body.company_name ?? email).trim()
  if (companyName.length === 0) throw new HttpProblem(400, 'company_name must not be blank.')
  if (body.company_name === undefined && [...companyName].length > COMPANY_NAME_MAX) {
    const problem = `the company is named after the email when company_name is omitted, and this email is longer than ${COMPANY_NAME_MAX} characters: send a company_name`
    throw new HttpProblem(400, `company_name is required: ${problem}.`, { errors: [{ field: 'body.company_name', message: problem }] })
  }
  await assertEmailFree(db, email)
  // The seed puts the first admin in DEFAULT_COMPANY_NAME: registered first by someone else, it would make them that admin's co-owner (issue 22).
  if (companyName.toLowerCase() === DEFAULT_COMPANY_NAME.toLowerCase()) throw conflict('This company name is reserved: choose another.')
  if (await users.companyNameTaken(db, companyName)) throw conflict('A company with this name already exists: its owner can add you (POST /auth/users), or choose another name.')
  const passwordHash = await hashPassword(body.password)
  const row = await db.transaction().execute(async (trx) => {
    // An import creating a company of this name holds the name until it commits, for minutes:
    // the name is taken, so say so rather than wait for it.
    await sql`set local lock_timeout = '300ms'`.execute(trx)
    const companyId = await users.insertCompany(trx, companyName)
    return users.insertUser(trx, { companyId, email, passwordHash, role: 'owner' })
  }).catch((error: { code?: string }) => {
    if (error.code === LOCK_NOT_AVAILABLE) throw conflict('This company name (or email) is being registered right now, for example by an import: choose another name, or retry in a moment.')
    throw error
  })
  return toUser(row)
}

/** Checks credentials; the same error and about the same work for an unknown email and a wrong password. */
export async function checkCredentials (db: Kysely<Database>, email: string, password: string): Promise<AuthUser> {
  const row = await users.findUserByEmail(db, normaliseEmail(email))
  const ok = await verifyPassword(row?.password_hash, password)
  if (!row || !ok || !row.is_active) throw wrongCredentials()
  if (needsRehash(row.password_hash)) await users.replacePasswordHash(db, row.id, row.password_hash, await hashPassword(password), false)
  return { id: row.id, companyId: row.company_id, role: row.role }
}

export async function currentUser (db: Kysely<Database>, user: AuthUser): Promise<UserView> {
  const row = await users.findUserInCompany(db, user.companyId, user.id)
  if (!row?.is_active) throw new HttpProblem(401, 'This account no longer exists or was deactivated.')
  return toUser(row)
}

export async function listUsers (db: Kysely<Database>, companyId: number): Promise<UserView[]> {
  return (await users.listCompanyUsers(db, companyId)).map(toUser)
}

/** Owners add viewers and admins to their own company. */
export async function createUser (db: Kysely<Database>, owner: AuthUser, body: CreateUserInput): Promise<UserView> {
  const email = normaliseEmail(body.email)
  assertAcceptablePassword(body.password, email)
  await assertEmailFree(db, email)
  const role: Role = body.role
  const row = await users.insertUser(db, { companyId: owner.companyId, email, passwordHash: await hashPassword(body.password), role })
  return toUser(row)
}

/** Deactivation (or reactivation) within the caller's company; deactivating ends every session and refuses its access tokens. */
export async function setActive (db: Kysely<Database>, actor: AuthUser, userId: number, isActive: boolean): Promise<UserView> {
  if (userId === actor.id && !isActive) throw new HttpProblem(409, 'You cannot deactivate your own account.')
  const { row, revocation } = await db.transaction().execute(async (trx) => {
    const updated = await users.setUserActive(trx, actor.companyId, userId, isActive)
    if (!updated || isActive) return { row: updated }
    await revokeUserFamilies(trx, userId)
    return { row: updated, revocation: await revokeAccessTokens(trx, userId) }
  })
  announce(db, revocation)
  if (!row) throw notFound(`No user ${userId} in your company.`)
  return toUser(row)
}

/**
 * A password change ends every session of the user, this one included, and refuses their access tokens. The hash is replaced only
 * if it is still the one the current password was checked against; when it is not (another change,
 * or a login's rehash of the same password, came first), the current password is checked again.
 */
export async function changePassword (db: Kysely<Database>, actor: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const row = await users.findUserInCompany(db, actor.companyId, actor.id)
    if (!row?.is_active || !await verifyPassword(row.password_hash, currentPassword)) {
      throw new HttpProblem(403, 'The current password is incorrect.')
    }
    assertAcceptablePassword(newPassword, row.email)
    const passwordHash = await hashPassword(newPassword)
    const revocation = await db.transaction().execute(async (trx) => {
      if (!await users.replacePasswordHash(trx, row.id, row.password_hash, passwordHash, true)) return undefined
      await revokeUserFamilies(trx, row.id)
      return revokeAccessTokens(trx, row.id)
    })
    if (revocation) return announce(db, revocation)
  }
  throw new HttpProblem(409, 'The password was changed several times while this change ran: try again.')
}
