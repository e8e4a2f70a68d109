import t from 'tap'
import { buildTestApp, uniqueName } from '../helper.js'
import { DEFAULT_COMPANY_NAME, DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD, DefaultOwnerError, defaultOwnerCompanyId, defaultOwnerCredentials, ensureDefaultOwner } from '../../src/modules/auth/default-owner.js'
import { hashPassword } from '../../src/modules/auth/passwords.js'
import { openOwnDatabase } from '../support/fresh-database.js'
import { seed as seedSampleCampaigns } from '../../db/seeds/02_sample_campaigns.js'
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

// Each on a database of its own: the default company is one per database, and other test files seed theirs.
t.test('ensureDefaultOwner is idempotent and the owner can log in', async (t) => {
  const app = await buildTestApp(t, {}, { connection: await openOwnDatabase(t, 'default_owner') })
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

// Issue 22, finding 6: a company called "Default company" that someone else registered (before the
// name was reserved, or restored from elsewhere) must not receive the seed's owner or its sample data.
t.test('the seed refuses a "Default company" that already has users, unless ADMIN_COMPANY_ID names it', async (t) => {
  const { db } = await openOwnDatabase(t, 'default_owner_squat')
  const { id: squatted } = await db.insertInto('companies').values({ name: 'default COMPANY' }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('users').values({ company_id: squatted, email: `${uniqueName('squatter')}@example.com`, password_hash: await hashPassword('Squatter-Phrase-77'), role: 'owner' }).execute()
  const email = `${uniqueName('admin')}@example.com`
  const config = { isProduction: false, ADMIN_EMAIL: email, ADMIN_PASSWORD: 'A-Long-Unusual-Phrase-42' }

  await t.rejects(ensureDefaultOwner(db, config), new RegExp(`"Default company" \\(id ${squatted}\\) already has 1 user\\(s\\).*ADMIN_COMPANY_ID=${squatted}`))
  t.equal(await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined, 'no owner was created')
  const campaigns = () => db.selectFrom('campaigns').select((eb) => eb.fn.countAll<string>().as('n')).where('company_id', '=', squatted).executeTakeFirstOrThrow()
  await seedSampleCampaigns(db, { log: { info: () => {}, debug: () => {} } }, config)
  t.same(await campaigns(), { n: '0' }, 'the sample seed writes nothing there either: it follows the owner, who does not exist')

  await t.rejects(ensureDefaultOwner(db, { ...config, ADMIN_COMPANY_ID: squatted + 1000 }), /ADMIN_COMPANY_ID=\d+: no company has this id/)
  t.same(await ensureDefaultOwner(db, { ...config, ADMIN_COMPANY_ID: squatted }), { created: true, email }, 'told by id, the seed trusts it')
  t.equal(await defaultOwnerCompanyId(db, config), squatted, 'and the sample data follows the owner there')
})

t.test('a "Default company" without users (an import created it) is the owner\'s to take', async (t) => {
  const { db } = await openOwnDatabase(t, 'default_owner_empty')
  const { id } = await db.insertInto('companies').values({ name: DEFAULT_COMPANY_NAME }).returning('id').executeTakeFirstOrThrow()
  const config = { isProduction: false, ADMIN_EMAIL: `${uniqueName('admin')}@example.com`, ADMIN_PASSWORD: 'A-Long-Unusual-Phrase-42' }
  t.equal((await ensureDefaultOwner(db, config)).created, true)
  t.equal(await defaultOwnerCompanyId(db, config), id)
})
