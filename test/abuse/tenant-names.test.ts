import t from 'tap'
import { buildTestApp } from '../helper.js'
import { register } from '../auth/support.js'
import { DEFAULT_COMPANY_NAME } from '../../src/modules/auth/default-owner.js'

// Issue 22, finding 6: an attacker registered "default company" first, and `npm run db:seed` then
// made the real admin an owner inside it, beside the squatter.
t.test('the seed\'s default company cannot be registered, whatever the case or spacing', async (t) => {
  const app = await buildTestApp(t)
  for (const name of [DEFAULT_COMPANY_NAME, DEFAULT_COMPANY_NAME.toLowerCase(), DEFAULT_COMPANY_NAME.toUpperCase(), `  ${DEFAULT_COMPANY_NAME}  `]) {
    const { response, email } = await register(app, { company_name: name })
    t.equal(response.statusCode, 409, `${JSON.stringify(name)}: ${response.body}`)
    t.match(response.json().detail, /reserved/)
    t.equal(await app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined, 'no account was created')
  }
  const companies = await app.db.selectFrom('companies').select('id').where((eb) => eb(eb.fn('lower', ['name']), '=', DEFAULT_COMPANY_NAME.toLowerCase())).execute()
  t.same(companies, [], 'no such company exists')
  t.equal((await register(app, { company_name: `${DEFAULT_COMPANY_NAME} of Ana` })).response.statusCode, 201, 'a name containing it is fine')
})
