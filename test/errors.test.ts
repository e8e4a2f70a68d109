import t from 'tap'
import { Type } from '@sinclair/typebox'
import { Writable } from 'node:stream'
import { buildTestApp, openTestDatabase } from './helper.js'
import { problemResponses } from '../schemas/common.js'
import { HttpProblem } from '../src/errors.js'

const PROBLEM = /^application\/problem\+json/

t.test('an unknown route is a 404 problem', async (t) => {
  const app = await buildTestApp(t)
  const response = await app.inject('/no/such/route?x=1')
  t.equal(response.statusCode, 404)
  t.match(response.headers['content-type'], PROBLEM)
  t.match(response.json(), { type: 'about:blank', title: 'Not Found', status: 404, instance: '/no/such/route' })
  t.equal(response.json().request_id, response.headers['x-request-id'], 'the problem quotes the request id sent as a header')
})

t.test('validation errors list each bad field', async (t) => {
  const app = await buildTestApp(t)
  app.post('/echo', {
    schema: {
      body: Type.Object({ email: Type.String({ format: 'email' }), count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ ok: Type.Boolean() }), ...problemResponses(400) }
    }
  }, async () => ({ ok: true }))
  const response = await app.inject({ method: 'POST', url: '/echo', payload: { email: 'nope', count: 0, extra: 1 } })
  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], PROBLEM)
  const body = response.json()
  t.equal(body.type, 'urn:problem-type:validation-error')
  const fields = body.errors.map((e: { field: string }) => e.field).sort()
  t.same(fields, ['body.count', 'body.email', 'body.extra'])
})

t.test('malformed JSON is a 400 problem', async (t) => {
  const app = await buildTestApp(t)
  app.post('/echo', async () => ({ ok: true }))
  const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":' })
  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], PROBLEM)
  t.match(response.json(), { status: 400, title: 'Bad Request' })
})

t.test('a body over the limit is a 413 problem', async (t) => {
  const app = await buildTestApp(t, { BODY_LIMIT_BYTES: '2048' })
  app.post('/echo', async () => ({ ok: true }))
  const response = await app.inject({ method: 'POST', url: '/echo', payload: { big: 'x'.repeat(4096) } })
  t.equal(response.statusCode, 413)
  t.match(response.headers['content-type'], PROBLEM)
  t.match(response.json(), { status: 413 })
})

t.test('an unexpected error is a 500 without stack or SQL, logged with the request id', async (t) => {
  const lines: string[] = []
  const logStream = new Writable({ write (chunk, _enc, done) { lines.push(chunk.toString()); done() } })
  const app = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream })
  app.get('/boom', async () => { throw new Error('select * from secret_table failed at line 3') })
  const response = await app.inject('/boom')
  t.equal(response.statusCode, 500)
  t.match(response.headers['content-type'], PROBLEM)
  t.notMatch(response.body, /secret_table|at line|stack/)
  const logged = lines.map((l) => JSON.parse(l)).find((l) => l.err)
  t.ok(logged, 'the error is logged')
  t.equal(logged.reqId, response.headers['x-request-id'])
  t.match(logged.err.message, /secret_table/)
})

t.test('a constraint the database enforces is a 4xx problem, never a 500', async (t) => {
  const app = await buildTestApp(t)
  // Real violations from the real schema, not hand-made error objects.
  app.get('/too-long', async () => app.db.insertInto('companies').values({ name: 'x'.repeat(201) }).execute())
  app.get('/null', async () => app.db.insertInto('companies').values({ name: null as unknown as string }).execute())
  app.get('/orphan', async () => app.db.insertInto('users').values({ company_id: 999_999_999, email: 'orphan@example.com', password_hash: 'x', role: 'viewer' }).execute())
  for (const [url, status] of [['/too-long', 400], ['/null', 400], ['/orphan', 409]] as const) {
    const response = await app.inject(url)
    t.equal(response.statusCode, status, url)
    t.match(response.headers['content-type'], PROBLEM)
    t.notMatch(response.body, /companies|users|constraint/, 'no table or constraint names leak')
  }
})

t.test('thrown HttpProblems keep their status and detail', async (t) => {
  const app = await buildTestApp(t)
  app.get('/teapot', async () => { throw new HttpProblem(409, 'Already there') })
  const response = await app.inject('/teapot')
  t.equal(response.statusCode, 409)
  t.match(response.json(), { status: 409, title: 'Conflict', detail: 'Already there' })
})

t.test('a sane X-Request-Id is kept, an insane one replaced', async (t) => {
  const app = await buildTestApp(t)
  const kept = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'abc-123' } })
  t.equal(kept.headers['x-request-id'], 'abc-123')
  const replaced = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'a b\nc' } })
  t.not(replaced.headers['x-request-id'], 'a b\nc')
})

t.test('authorization and cookie headers never reach the logs', async (t) => {
  const lines: string[] = []
  const logStream = new Writable({ write (chunk, _enc, done) { lines.push(chunk.toString()); done() } })
  const app = await buildTestApp(t, { LOG_LEVEL: 'trace' }, { logStream })
  await app.inject({ url: '/health/live', headers: { authorization: 'Bearer sekret-token-value', cookie: 'refresh_token=sekret-cookie' } })
  const all = lines.join('')
  t.ok(lines.length > 0, 'something was logged')
  t.notMatch(all, /sekret/)
})

t.test('a database that does not exist (dropped under the pool) is a 503 problem, not a 500', async (t) => {
  const connection = await openTestDatabase({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/campaign_api_no_such_database', DB_CONNECTION_TIMEOUT_MS: 1000 })
  const app = await buildTestApp(t, {}, { connection })
  await app.ready()
  const token = app.signAccessToken({ id: 1, companyId: 1, role: 'owner' })
  const response = await app.inject({ url: '/v2/campaigns', headers: { authorization: `Bearer ${token}` } })
  t.equal(response.statusCode, 503)
  t.match(response.headers['content-type'], PROBLEM)
  t.ok(response.headers['retry-after'], 'says when to retry')
})
