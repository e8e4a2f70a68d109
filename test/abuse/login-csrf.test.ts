import t from 'tap'
import { buildTestApp } from '../helper.js'
import { DASHBOARD, PASSWORD, register, uniqueEmail } from '../auth/support.js'

// Issue 22, finding 7: /auth/token and /auth/register accepted form posts from any Origin and set
// the refresh cookie, so a hostile page could log a victim's browser into the attacker's tenant.
const shared = buildTestApp(t)
const HOSTILE = { origin: 'https://hostile.example' }
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

for (const prefix of ['/v2', '']) {
  const version = prefix || 'v1 (root)'
  t.test(`${version}: a foreign Origin cannot log in, by form or JSON, and gets no cookie`, async (t) => {
    const app = await shared
    const { email } = await register(app)
    const asForm = await app.inject({ method: 'POST', url: `${prefix}/auth/token`, headers: { ...HOSTILE, ...FORM }, payload: form({ username: email, password: PASSWORD }) })
    t.equal(asForm.statusCode, 403, asForm.body)
    t.match(asForm.headers['content-type'], /^application\/problem\+json/)
    t.equal(asForm.headers['set-cookie'], undefined, 'no refresh cookie')
    const asJson = await app.inject({ method: 'POST', url: `${prefix}/auth/token`, headers: HOSTILE, payload: { email, password: PASSWORD } })
    t.equal(asJson.statusCode, 403)
    t.equal(asJson.headers['set-cookie'], undefined)
    const opaque = await app.inject({ method: 'POST', url: `${prefix}/auth/token`, headers: { origin: 'null', ...FORM }, payload: form({ username: email, password: PASSWORD }) })
    t.equal(opaque.statusCode, 403, 'a sandboxed page\'s "null" origin too')
  })

  t.test(`${version}: a foreign Origin cannot register, and nothing is created`, async (t) => {
    const app = await shared
    const email = uniqueEmail('csrf')
    const response = await app.inject({ method: 'POST', url: `${prefix}/auth/register`, headers: HOSTILE, payload: { email, password: PASSWORD } })
    t.equal(response.statusCode, 403)
    t.equal(await app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined)
  })

  t.test(`${version}: scripts without Origin, the dashboard and the service's own pages still log in and register`, async (t) => {
    const app = await shared
    const { email, response: registered } = await register(app)
    t.equal(registered.statusCode, 201, 'register without Origin')
    const script = await app.inject({ method: 'POST', url: `${prefix}/auth/token`, payload: { email, password: PASSWORD } })
    t.equal(script.statusCode, 200, 'a script without Origin')
    t.ok(script.headers['set-cookie'])
    const dashboard = await app.inject({ method: 'POST', url: `${prefix}/auth/token`, headers: DASHBOARD, payload: { email, password: PASSWORD } })
    t.equal(dashboard.statusCode, 200, 'the dashboard (FRONTEND_ORIGINS)')
    // inject's Host is localhost:80; the browser's Origin omits the default port.
    const swagger = await app.inject({ method: 'POST', url: `${prefix}/auth/token`, headers: { origin: 'http://localhost', ...FORM }, payload: form({ username: email, password: PASSWORD, grant_type: 'password' }) })
    t.equal(swagger.statusCode, 200, `Swagger UI's Authorize form from the service's own origin: ${swagger.body}`)
    const ownRegister = await app.inject({ method: 'POST', url: `${prefix}/auth/register`, headers: { origin: 'http://localhost:80' }, payload: { email: uniqueEmail('own'), password: PASSWORD } })
    t.equal(ownRegister.statusCode, 201, 'register from the own origin')
    const otherPort = await app.inject({ method: 'POST', url: `${prefix}/auth/token`, headers: { origin: 'http://localhost:8080' }, payload: { email, password: PASSWORD } })
    t.equal(otherPort.statusCode, 403, 'another port is another origin')
  })
}

t.test('the 403 is in both routes\' contract', async (t) => {
  const doc = (await (await shared).inject('/docs/json')).json()
  for (const path of ['/v2/auth/token', '/v2/auth/register']) t.ok(doc.paths[path].post.responses['403'], path)
})
