import t from 'tap'
import { buildTestApp, openTestDatabase } from '../helper.js'
import { TEST_DATABASE_URL } from '../support/database.js'

// Issue 22, finding 10: /metrics (the Node version, every route's traffic) was public in production.
const production = (variables: Record<string, string>) => async (t: Parameters<typeof buildTestApp>[0]) => {
  const lines: string[] = []
  const app = await buildTestApp(t, {
    ENV: 'production',
    LOG_LEVEL: 'warn',
    FRONTEND_ORIGINS: 'https://dashboard.example.com',
    DATABASE_URL: TEST_DATABASE_URL ?? 'postgres://unused@127.0.0.1:1/unused',
    TRUST_PROXY: '127.0.0.1',
    ...variables
  }, { connection: await openTestDatabase(), logStream: { write: (line: string) => { lines.push(line) } } })
  return { app, lines }
}
const https = { 'x-forwarded-proto': 'https' }

t.test('production without METRICS_TOKEN: /metrics is closed, saying how to open it, and start-up warns', async (t) => {
  const { app, lines } = await production({})(t)
  await app.ready()
  const response = await app.inject({ url: '/metrics', headers: https })
  t.equal(response.statusCode, 403)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.match(response.json().detail, /METRICS_TOKEN/)
  t.notMatch(response.body, /nodejs_version_info|process_cpu/, 'no metric in the answer')
  t.ok(lines.some((line) => /METRICS_TOKEN is not set/.test(line) && /"level":40/.test(line)), 'a warning at start-up')
})

t.test('production with METRICS_TOKEN: only its bearer scrapes', async (t) => {
  const { app } = await production({ METRICS_TOKEN: 'scrape-token-0123456789' })(t)
  t.equal((await app.inject({ url: '/metrics', headers: https })).statusCode, 401)
  const ok = await app.inject({ url: '/metrics', headers: { ...https, authorization: 'Bearer scrape-token-0123456789' } })
  t.equal(ok.statusCode, 200)
  t.match(ok.body, /process_cpu_user_seconds_total/)
})

t.test('production with METRICS_PUBLIC=true: public, as asked', async (t) => {
  const { app } = await production({ METRICS_PUBLIC: 'true' })(t)
  t.equal((await app.inject({ url: '/metrics', headers: https })).statusCode, 200)
})
