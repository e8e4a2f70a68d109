import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp, type BuildOptions } from '../src/app.js'
import { loadConfig, type Config } from '../src/config.js'
import type { Role } from '../src/plugins/authentication.js'
import { openTestDatabase, TEST_DATABASE_URL } from './support/database.js'

export { ENGINE, openTestDatabase } from './support/database.js'

export const TEST_SECRET = 'test-secret-key-that-is-long-enough-for-hs256-0123456789'

/** A config exactly as production would load it, from the given variables instead of process.env. */
export function testConfig (variables: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    TESTING: '1',
    LOG_LEVEL: 'silent',
    SECRET_KEY: TEST_SECRET,
    FRONTEND_ORIGINS: 'http://dashboard.test',
    DATABASE_URL: TEST_DATABASE_URL,
    ...variables
  })
}

/** The real application (same server options as production) on a migrated test database; closed after the test. */
export async function buildTestApp (t: Test, variables: Record<string, string | undefined> = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  const config = testConfig(variables)
  const connection = options.connection ?? await openTestDatabase({ DATABASE_URL: config.DATABASE_URL, DATABASE_READ_URL: config.DATABASE_READ_URL })
  const app = await buildApp(config, { ...options, connection })
  t.teardown(() => app.close())
  return app
}

let counter = 0
/** A name no other test (or parallel test file) uses, so tests never depend on each other's rows. */
export function uniqueName (prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`
}

export type TestUser = { id: number, companyId: number, role: Role, email: string, token: string, authorization: string }

/**
 * A fresh company with one user of the given role and an access token for it, inserted directly
 * (tests of other features need a caller, not the login flow). Pass companyId to add a user to an existing company.
 */
export async function createUserWithToken (app: FastifyInstance, options: { role?: Role, companyId?: number } = {}): Promise<TestUser> {
  const role = options.role ?? 'owner'
  const companyId = options.companyId ?? (await app.db.insertInto('companies').values({ name: uniqueName('company') }).returning('id').executeTakeFirstOrThrow()).id
  const email = `${uniqueName(role)}@example.com`.toLowerCase()
  const user = await app.db.insertInto('users')
    .values({ company_id: companyId, email, password_hash: 'not-a-real-hash', role })
    .returning('id').executeTakeFirstOrThrow()
  const token = app.signAccessToken({ id: user.id, companyId, role })
  return { id: user.id, companyId, role, email, token, authorization: `Bearer ${token}` }
}
