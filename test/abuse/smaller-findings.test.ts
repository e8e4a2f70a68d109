import t from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { appendExport, cleanExport, postForm } from '../imports/fixtures.js'
import { PASSWORD, register, uniqueEmail } from '../auth/support.js'

// Issue 22, finding 10: the smaller ones. One app serves every check of this file.
const shared = buildTestApp(t)

t.test('user ids are decimal digits: 0x4, 4.0, 1e3, +4 and 04 are refused with a 400 naming the id', async (t) => {
  const app = await shared
  const owner = await createUserWithToken(app)
  const viewer = await createUserWithToken(app, { role: 'viewer', companyId: owner.companyId })
  const patch = (id: string) => app.inject({ method: 'PATCH', url: `/v2/auth/users/${id}`, headers: { authorization: owner.authorization }, payload: { is_active: false } })
  for (const id of ['0x4', `${viewer.id}.0`, '1e3', `+${viewer.id}`, `0${viewer.id}`, '0', ' 4']) {
    const response = await patch(encodeURIComponent(id))
    t.equal(response.statusCode, 400, `${id}: ${response.body}`)
    t.match(response.json(), { errors: [{ field: 'params.id' }] }, `${id} names the id`)
  }
  const deactivated = await patch(String(viewer.id))
  t.equal(deactivated.statusCode, 200, 'a decimal id still works')
  t.equal(deactivated.json().id, viewer.id)
  t.equal((await patch('999999999999999')).statusCode, 404, 'a well-formed id of nobody is a 404')
})

t.test('whitespace-only passwords and the service\'s own name are refused at registration', async (t) => {
  const app = await shared
  for (const password of [' '.repeat(12), '\t \t \t \t ', '\u00a0'.repeat(10), 'campaign analytics', 'Campaign-Analytics-2024', 'CampaignAnalytics!', 'analytics123', '2024campaigns']) {
    const { response } = await register(app, { password })
    t.equal(response.statusCode, 400, `${JSON.stringify(password)}: ${response.body}`)
    t.match(response.json(), { errors: [{ field: 'body.password' }] })
  }
  t.equal((await register(app, { password: 'my campaign of analytics 7' })).response.statusCode, 201, 'a passphrase containing the words is fine')
  t.equal((await register(app, { password: '  ' + PASSWORD + '  ' })).response.statusCode, 201, 'spaces around a good password are fine')
})

t.test('invalid UTF-8 in a JSON body is a 400, and valid UTF-8 (with or without BOM) is stored as sent', async (t) => {
  const app = await shared
  const email = uniqueEmail('utf8')
  const body = (company: Buffer) => Buffer.concat([Buffer.from(`{"email":"${email}","password":"${PASSWORD}","company_name":"`), company, Buffer.from('"}')])
  for (const [label, bytes] of [['a lone continuation byte', Buffer.from([0x41, 0x80, 0x42])], ['a truncated sequence', Buffer.from([0x41, 0xc3])], ['an overlong encoding', Buffer.from([0xc0, 0xaf])], ['a surrogate', Buffer.from([0xed, 0xa0, 0x80])]] as const) {
    const response = await app.inject({ method: 'POST', url: '/v2/auth/register', headers: { 'content-type': 'application/json' }, payload: body(bytes) })
    t.equal(response.statusCode, 400, `${label}: ${response.body}`)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json().detail, /not valid UTF-8/)
  }
  t.equal(await app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst(), undefined, 'nothing was stored')

  const company = `Compañía ${email}`
  const valid = await app.inject({ method: 'POST', url: '/v2/auth/register', headers: { 'content-type': 'application/json; charset=utf-8' }, payload: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body(Buffer.from(`Compañía ${email}`))]) })
  t.equal(valid.statusCode, 201, valid.body)
  const stored = await app.db.selectFrom('companies').select('name').where('id', '=', valid.json().company_id).executeTakeFirstOrThrow()
  t.equal(stored.name, company, 'stored exactly as sent')
})

t.test('the JSON parser keeps Fastify\'s prototype-poisoning and empty-body refusals', async (t) => {
  const app = await shared
  const poisoned = await app.inject({ method: 'POST', url: '/v2/auth/token', headers: { 'content-type': 'application/json' }, payload: '{"email":"a@example.com","password":"x","__proto__":{"isAdmin":true}}' })
  t.equal(poisoned.statusCode, 400, poisoned.body)
  const constructor = await app.inject({ method: 'POST', url: '/v2/auth/token', headers: { 'content-type': 'application/json' }, payload: '{"constructor":{"prototype":{"isAdmin":true}}}' })
  t.equal(constructor.statusCode, 400, constructor.body)
  const empty = await app.inject({ method: 'POST', url: '/v2/auth/token', headers: { 'content-type': 'application/json' }, payload: '' })
  t.equal(empty.statusCode, 400)
  t.match(empty.headers['content-type'], /^application\/problem\+json/)
  const malformed = await app.inject({ method: 'POST', url: '/v2/auth/token', headers: { 'content-type': 'application/json' }, payload: '{"email":' })
  t.equal(malformed.statusCode, 400)
})

t.test('the import report names the uploaded files, never a server path', async (t) => {
  const app = await shared
  const admin = await createUserWithToken(app, { role: 'admin' })
  const response = await postForm(app, admin.authorization, (form) => appendExport(form, cleanExport('nombrada')))
  t.equal(response.statusCode, 200, response.body.slice(0, 300))
  const files = response.json().files as Record<string, { source: string }>
  t.same(Object.fromEntries(Object.entries(files).map(([kind, stats]) => [kind, stats.source])), { campaigns: 'c.csv', periods: 'p.csv', sites: 's.csv' })
  t.notMatch(response.body, /campaign-import-|\/tmp\//, 'no temporary path anywhere in the report')
})
