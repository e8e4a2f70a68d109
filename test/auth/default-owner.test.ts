import t from 'tap'
import { buildTestApp, uniqueName } from '../helper.js'
import { DEFAULT_COMPANY_NAME, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, DefaultOwnerError, defaultOwnerCredentials, ensureDefaultOwner } from '../../src/modules/auth/default-owner.js'
import { login } from './support.js'

const production = { isProduction: true }

t.test('credentials: development defaults, production demands real ones', async (t) => {
  t.same(defaultOwnerCredentials({ isProduction: false }), { email: DEV_ADMIN_EMAIL, password: DEV_ADMIN_PASSWORD })
  t.same(defaultOwnerCredentials({ isProduction: false, ADMIN_EMAIL: ' Boss@Example.com ' }).email, 'boss@example.com', 'normalised')
  t.throws(() => defaultOwnerCredentials(production), DefaultOwnerError, 'both required in production')
  t.throws(() => defaultOwnerCredentials({ ...production, ADMIN_EMAIL: 'boss@example.com' }), /required/)
  t.throws(() => defaultOwnerCredentials({ ...production, ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: DEV_ADMIN_PASSWORD }), /development defaults/)
  t.throws(() => defaultOwnerCredentials({ ...production, ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'Short-Pw-1' }), /too weak/)
  t.throws(() => defaultOwnerCredentials({ ...production, ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'password1234' }), /common/)
  t.throws(() => defaultOwnerCredentials({ ...production, ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'A-Long-Unusual-Phrase-42' }), /not an email/)
  t.same(defaultOwnerCredentials({ ...production, ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'A-Long-Unusual-Phrase-42' }), { email: 'boss@example.com', password: 'A-Long-Unusual-Phrase-42' })
})

t.test('ensureDefaultOwner is idempotent and the owner can log in', async (t) => {
  const app = await buildTestApp(t)
  const email = `${uniqueName('admin')}@example.com`
  const config = { isProduction: false, ADMIN_EMAIL: email, ADMIN_PASSWORD: 'A-Long-Unusual-Phrase-42' }
  const messages: string[] = []
  const log = { info: (message: string) => { messages.push(message) } }
  t.same(await ensureDefaultOwner(app.db, config, log), { created: true, email })
  t.same(await ensureDefaultOwner(app.db, { ...config, ADMIN_PASSWORD: 'Another-Unusual-Phrase-43' }, log), { created: false, email }, 'the second run changes nothing')
  t.equal(messages.length, 2)
  t.notOk(messages.join(' ').includes('Phrase'), 'the password is never printed')
  const users = await app.db.selectFrom('users').innerJoin('companies', 'companies.id', 'users.company_id')
    .select(['users.role', 'companies.name']).where('users.email', '=', email).execute()
  t.same(users, [{ role: 'owner', name: DEFAULT_COMPANY_NAME }])
  t.equal((await login(app, email, 'A-Long-Unusual-Phrase-42')).statusCode, 200, 'the first password stays')
})
