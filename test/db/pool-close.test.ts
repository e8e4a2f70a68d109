import t from 'tap'
import { sql } from 'kysely'
import { buildTestApp, createUserWithToken } from '../helper.js'

t.test('closing the app lets a request still in its handler run its next query before the pool ends', async (t) => {
  const app = await buildTestApp(t)
  // A handler between two statements: the first still running when the app starts closing.
  const client = await app.database.pool.connect()
  const handler = client.query('select pg_sleep(0.3)').then(async () => {
    client.release()
    return app.db.selectNoFrom(sql<number>`42`.as('answer')).executeTakeFirstOrThrow()
  })
  await app.close()
  t.same(await handler, { answer: 42 }, 'the second query ran')
  t.ok(app.database.pool.ending, 'then the pool ended')
})

t.test('a request that reaches a destroyed pool is a 503 problem asking to retry, not a 500', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  // What a request still in its handler meets once the pool is gone (Kysely's own error).
  await app.db.destroy()
  const response = await app.inject({ url: '/v2/campaigns', headers: { authorization: user.authorization } })
  t.equal(response.statusCode, 503)
  t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(response.headers['retry-after'], '5')
  t.match(response.json(), { status: 503, detail: /unavailable/ })
})
