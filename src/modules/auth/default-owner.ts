import type { Kysely } from 'kysely'
import type { Config } from '../../config.js'
import type { Database } from '../../db/schema.js'
import { hashPassword, passwordProblem } from './passwords.js'
import { companyById, companyByName, findOrCreateCompany } from '../companies/repository.js'
import { findUserByEmail, insertUser } from './repository.js'
import { normaliseEmail } from './service.js'

/** Development defaults, documented in the README; production refuses them. */
export const DEV_ADMIN_EMAIL = 'admin@example.com'
export const DEV_ADMIN_PASSWORD = 'dev-only-admin-password'
export const DEFAULT_COMPANY_NAME = 'Default company'
const PRODUCTION_MIN_LENGTH = 12

type Log = { info: (message: string) => void }

export class DefaultOwnerError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'DefaultOwnerError'
  }
}

/** ADMIN_EMAIL, normalised; the development default outside production, '' in it when unset. */
const defaultOwnerEmail = (config: Pick<Config, 'isProduction' | 'ADMIN_EMAIL'>) => normaliseEmail(config.ADMIN_EMAIL ?? (config.isProduction ? '' : DEV_ADMIN_EMAIL))

/** The admin credentials to seed, or why they are refused (production demands real ones). */
export function defaultOwnerCredentials (config: Pick<Config, 'isProduction' | 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>): { email: string, password: string } {
  const email = defaultOwnerEmail(config)
  const password = config.ADMIN_PASSWORD ?? (config.isProduction ? '' : DEV_ADMIN_PASSWORD)
  if (config.isProduction) {
    if (!email || !password) throw new DefaultOwnerError('ADMIN_EMAIL and ADMIN_PASSWORD are required in production to create the default owner.')
    if (password === DEV_ADMIN_PASSWORD || email === DEV_ADMIN_EMAIL) throw new DefaultOwnerError('ADMIN_EMAIL/ADMIN_PASSWORD still hold the development defaults: set real ones.')
    if ([...password].length < PRODUCTION_MIN_LENGTH) throw new DefaultOwnerError(`ADMIN_PASSWORD is too weak: use at least ${PRODUCTION_MIN_LENGTH} characters in production.`)
  }
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new DefaultOwnerError(`ADMIN_EMAIL "${email}" is not an email address.`)
  const problem = passwordProblem(password, email)
  if (problem) throw new DefaultOwnerError(`ADMIN_PASSWORD is refused: ${problem}`)
  return { email, password }
}

type OwnerConfig = Pick<Config, 'isProduction' | 'ADMIN_EMAIL' | 'ADMIN_PASSWORD' | 'ADMIN_COMPANY_ID'>

/**
 * The company the owner goes into: ADMIN_COMPANY_ID when set, else DEFAULT_COMPANY_NAME, found or
 * created. A company of that name that already has users is refused: a name says nothing of whose
 * it is (it may have been registered before the name was reserved), so only its id can say "mine".
 */
async function ownerCompany (db: Kysely<Database>, config: OwnerConfig): Promise<number> {
  if (config.ADMIN_COMPANY_ID !== undefined) {
    const company = await companyById(db, config.ADMIN_COMPANY_ID)
    if (!company) throw new DefaultOwnerError(`ADMIN_COMPANY_ID=${config.ADMIN_COMPANY_ID}: no company has this id.`)
    return company.id
  }
  const named = await companyByName(db, DEFAULT_COMPANY_NAME)
  if (named && named.users > 0) {
    throw new DefaultOwnerError(`A company named "${DEFAULT_COMPANY_NAME}" (id ${named.id}) already has ${named.users} user(s), and ADMIN_EMAIL is not one of them: ` +
      `the seed will not make its owner a member of someone else's company. If it is yours, set ADMIN_COMPANY_ID=${named.id}; otherwise rename or remove it first.`)
  }
  return named?.id ?? (await findOrCreateCompany(db, DEFAULT_COMPANY_NAME)).id
}

/**
 * Creates the owner (and the default company) unless a user with ADMIN_EMAIL exists (then nothing
 * changes, not even the password): safe to run at every deploy.
 */
export async function ensureDefaultOwner (db: Kysely<Database>, config: OwnerConfig, log?: Log): Promise<{ created: boolean, email: string }> {
  const { email, password } = defaultOwnerCredentials(config)
  if (await findUserByEmail(db, email)) {
    log?.info(`Default owner ${email} already exists: unchanged.`)
    return { created: false, email }
  }
  const passwordHash = await hashPassword(password)
  const created = await db.transaction().execute(async (trx) => {
    // Checked again inside the transaction; the unique index settles a race with a second seeder.
    if (await findUserByEmail(trx, email)) return false
    await insertUser(trx, { companyId: await ownerCompany(trx, config), email, passwordHash, role: 'owner' })
    return true
  })
  log?.info(created ? `Default owner ${email} created.` : `Default owner ${email} already exists: unchanged.`)
  return { created, email }
}

/** The company of the ADMIN_EMAIL user (the seed's sample data goes there, by identity), or undefined. */
export async function defaultOwnerCompanyId (db: Kysely<Database>, config: Pick<Config, 'isProduction' | 'ADMIN_EMAIL'>): Promise<number | undefined> {
  const email = defaultOwnerEmail(config)
  const user = email ? await findUserByEmail(db, email) : undefined
  return user ? Number(user.company_id) : undefined
}
