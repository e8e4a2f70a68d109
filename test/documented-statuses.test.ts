import t from 'tap'
import { buildTestApp, createUserWithToken, openTestDatabase } from './helper.js'
import { ResponseValidator, listOperations, type OpenApiDocument } from './stress/support/openapi.js'

t.test('every status GET /campaigns answers in production behind the proxy (426 for plain HTTP) is documented', async (t) => {
  const app = await buildTestApp(t, {
    ENV: 'production',
    TRUST_PROXY: '127.0.0.1',
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused'
  }, { connection: await openTestDatabase() })
  const doc = (await app.inject({ url: '/docs/json', headers: { 'x-forwarded-proto': 'https' } })).json() as OpenApiDocument
  const op = listOperations(doc).find((o) => o.label === 'GET /v2/campaigns')!
  const user = await createUserWithToken(app, { role: 'viewer' })
  const response = await app.inject({ url: '/v2/campaigns', headers: { authorization: user.authorization, 'x-forwarded-proto': 'http' } })
  t.equal(response.statusCode, 426, 'plain HTTP is refused (README, production checklist 3)')
  const check = new ResponseValidator(doc).check(op.responses, op.label, response.statusCode, response.headers['content-type'] as string, response.body)
  t.same(check, { ok: true }, 'the 426 is declared in /docs/json')
})

t.test('a request that cannot get a database connection within DB_CONNECTION_TIMEOUT_MS answers 503 (README), on the embedded engine too', async (t) => {
  const connection = await openTestDatabase({ DB_CONNECTION_TIMEOUT_MS: 300, DB_POOL_MAX: 1 })
  const app = await buildTestApp(t, { DB_CONNECTION_TIMEOUT_MS: '300', DB_POOL_MAX: '1' }, { connection })
  const user = await createUserWithToken(app, { role: 'viewer' })
  const held = await app.database.pool.connect()
  let response: Awaited<ReturnType<typeof app.inject>> | 'still waiting'
  try {
    response = await Promise.race([
      app.inject({ url: '/v2/campaigns', headers: { authorization: user.authorization } }),
      new Promise<'still waiting'>((resolve) => setTimeout(resolve, 5000, 'still waiting'))
    ])
  } finally {
    held.release()
  }
  t.not(response, 'still waiting', 'answered within 5 s although the timeout is 300 ms')
  if (response !== 'still waiting') t.equal(response.statusCode, 503)
})
