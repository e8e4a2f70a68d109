import t from 'tap'
import { buildTestApp, openTestDatabase } from './helper.js'

t.test('GET /health answers 200 when the database answers', async (t) => {
  const app = await buildTestApp(t)
  const response = await app.inject('/health')
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok' })
  t.equal(response.headers['cache-control'], 'no-store')
})

t.test('GET /health answers 503 quickly when the database is unreachable', async (t) => {
  // Port 1 on loopback: nothing listens there, so connecting fails at once.
  const connection = await openTestDatabase({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', DB_CONNECTION_TIMEOUT_MS: 500 })
  const app = await buildTestApp(t, {}, { connection })
  const started = Date.now()
  const response = await app.inject('/health')
  t.equal(response.statusCode, 503)
  t.same(response.json(), { status: 'unhealthy' })
  t.ok(Date.now() - started < 3000, 'answers within the health timeout')
})

t.test('GET /health answers 503 when the database hangs, bounded by HEALTH_TIMEOUT_MS', async (t) => {
  // A TCP server that accepts and never speaks: the connection neither fails nor completes.
  const net = await import('node:net')
  const sockets: import('node:net').Socket[] = []
  const silent = net.createServer((socket) => { sockets.push(socket) })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { for (const s of sockets) s.destroy(); silent.close() })
  const port = (silent.address() as import('node:net').AddressInfo).port
  const connection = await openTestDatabase({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/none`, DB_CONNECTION_TIMEOUT_MS: 5000 })
  const app = await buildTestApp(t, { HEALTH_TIMEOUT_MS: '300' }, { connection })
  const started = Date.now()
  const response = await app.inject('/health')
  t.equal(response.statusCode, 503)
  t.ok(Date.now() - started < 2000, `answered in ${Date.now() - started} ms`)
})

t.test('GET /health/live answers without touching the database', async (t) => {
  const connection = await openTestDatabase({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' })
  const app = await buildTestApp(t, {}, { connection })
  const response = await app.inject('/health/live')
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok' })
})
