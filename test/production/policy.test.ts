import { spawnSync } from 'node:child_process'
import t from 'tap'
import { buildTestApp, openTestDatabase, uniqueName } from '../helper.js'
import { ROOT, TEST_DATABASE_URL } from '../support/database.js'

const DASHBOARD = 'https://dashboard.example.com'
const HSTS = 'max-age=31536000; includeSubDomains'
const METRICS_TOKEN = 'scrape-token-0123456789'

/** The app as production builds it: ENV=production config, on the suite's test database. */
async function productionApp (t: Parameters<typeof buildTestApp>[0], variables: Record<string, string> = {}) {
  const connection = await openTestDatabase()
  return buildTestApp(t, {
    ENV: 'production',
    FRONTEND_ORIGINS: `${DASHBOARD},https://admin.example.com`,
    // Production refuses to load without a server URL; on PGlite the connection above is used instead.
    DATABASE_URL: TEST_DATABASE_URL ?? 'postgres://unused@127.0.0.1:1/unused',
    TRUST_PROXY: '127.0.0.1',
    METRICS_TOKEN,
    ...variables
  }, { connection })
}

// One production app serves the read-only checks below (each PGlite clone costs about a second).
const shared = productionApp(t)

const viaProxy = (proto: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-proto': proto, 'x-forwarded-for': '203.0.113.9', ...extra })

t.test('plain HTTP behind the proxy gets 426 for every method, with HSTS', async (t) => {
  const app = await shared
  for (const method of ['GET', 'POST', 'DELETE'] as const) {
    const response = await app.inject({ method, url: '/metrics', headers: viaProxy('http') })
    t.equal(response.statusCode, 426, method)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
    t.match(response.json(), { status: 426, title: 'Upgrade Required', detail: /HTTPS only/ })
    t.match(response.headers.upgrade, /^TLS/)
    t.equal(response.headers['strict-transport-security'], HSTS)
  }
  t.equal((await app.inject({ url: '/docs/json' })).statusCode, 426, 'no X-Forwarded-Proto at all is plain HTTP too')
})

t.test('health probes pass over plain HTTP', async (t) => {
  const app = await shared
  t.equal((await app.inject({ url: '/health', headers: viaProxy('http') })).statusCode, 200)
  t.equal((await app.inject({ url: '/health/live' })).statusCode, 200)
})

t.test('HTTPS requests are served, and every response carries HSTS', async (t) => {
  const app = await shared
  const ok = await app.inject({ url: '/health/live', headers: viaProxy('https') })
  t.equal(ok.statusCode, 200)
  t.equal(ok.headers['strict-transport-security'], HSTS)
  const missing = await app.inject({ url: '/no-such-route', headers: viaProxy('https') })
  t.equal(missing.statusCode, 404)
  t.equal(missing.headers['strict-transport-security'], HSTS, 'problems too')
  // Production closes /metrics without METRICS_TOKEN (test/abuse/metrics-token.test.ts); with it, the bearer passes over HTTPS.
  t.equal((await app.inject({ url: '/metrics', headers: viaProxy('https', { authorization: `Bearer ${METRICS_TOKEN}` }) })).statusCode, 200)
})

t.test('the docs page asks the browser to upgrade its requests to HTTPS in production only', async (t) => {
  const production = await (await shared).inject({ url: '/docs', headers: viaProxy('https') })
  t.match(production.headers['content-security-policy'], /upgrade-insecure-requests/)
  // Development serves /docs over plain HTTP (also on a LAN address): upgraded, its scripts would not load.
  const development = await (await buildTestApp(t)).inject({ url: '/docs' })
  t.match(development.headers['content-security-policy'], /frame-ancestors 'none'/)
  t.notMatch(development.headers['content-security-policy'], /upgrade-insecure-requests/)
})

t.test('X-Forwarded-Proto from an untrusted address is ignored', async (t) => {
  const app = await productionApp(t, { TRUST_PROXY: '10.0.0.1' })
  const response = await app.inject({ url: '/metrics', headers: viaProxy('https') })
  t.equal(response.statusCode, 426, 'the header came from 127.0.0.1, not from the trusted proxy')
})

t.test('CORS: exact origins with credentials; a foreign origin gets no ACAO', async (t) => {
  const app = await shared
  const allowed = await app.inject({ url: '/health/live', headers: viaProxy('https', { origin: DASHBOARD }) })
  t.equal(allowed.headers['access-control-allow-origin'], DASHBOARD)
  t.equal(allowed.headers['access-control-allow-credentials'], 'true')
  t.match(allowed.headers.vary, /Origin/)

  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/health/live',
    headers: viaProxy('https', { origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' })
  })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], DASHBOARD)
  t.equal(preflight.headers['access-control-allow-credentials'], 'true')
  const withRequestId = await app.inject({
    method: 'OPTIONS',
    url: '/v2/campaigns',
    headers: viaProxy('https', { origin: DASHBOARD, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,x-request-id' })
  })
  t.match(withRequestId.headers['access-control-allow-headers'], /X-Request-Id/i, 'the dashboard may send its own request id')
  const bare = await app.inject({ method: 'OPTIONS', url: '/v2/campaigns', headers: viaProxy('https', { origin: DASHBOARD }) })
  t.equal(bare.statusCode, 204, 'an OPTIONS without Access-Control-Request-Method is no text/plain 400')

  for (const origin of ['https://evil.example.com', 'https://dashboard.example.com.evil.net', 'http://dashboard.example.com', 'null']) {
    const foreign = await app.inject({ url: '/health/live', headers: viaProxy('https', { origin }) })
    t.equal(foreign.headers['access-control-allow-origin'], undefined, origin)
  }
})

t.test('production without TRUST_PROXY cannot see the scheme, so it does not refuse (and warns at start-up)', async (t) => {
  const app = await productionApp(t, { TRUST_PROXY: '' })
  const response = await app.inject({ url: '/health/live', headers: viaProxy('http') })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['strict-transport-security'], HSTS)
})

t.test('login from the dashboard behind the proxy: a Secure, HttpOnly, SameSite=None cookie with CORS credentials; never over HTTP', async (t) => {
  const app = await shared
  const email = `${uniqueName('prod-owner')}@example.com`.toLowerCase()
  const credentials = { email, password: 'Tangerine-Violin-42' }
  const headers = viaProxy('https', { origin: DASHBOARD })
  t.equal((await app.inject({ method: 'POST', url: '/v2/auth/register', headers, payload: credentials })).statusCode, 201)

  const plain = await app.inject({ method: 'POST', url: '/v2/auth/token', headers: viaProxy('http', { origin: DASHBOARD }), payload: credentials })
  t.equal(plain.statusCode, 426, 'no login over plain HTTP')
  t.equal(plain.headers['set-cookie'], undefined, 'so no cookie ever travels in clear')

  const login = await app.inject({ method: 'POST', url: '/v2/auth/token', headers, payload: credentials })
  t.equal(login.statusCode, 200)
  t.equal(login.headers['access-control-allow-origin'], DASHBOARD)
  t.equal(login.headers['access-control-allow-credentials'], 'true')
  t.equal(login.headers['strict-transport-security'], HSTS)
  const cookie = String(login.headers['set-cookie'])
  for (const attribute of [/^__Host-refresh_token=/, /; HttpOnly/, /; Secure/, /; SameSite=None/, /; Path=\//]) t.match(cookie, attribute)
  t.notMatch(cookie, /Domain=/i)

  const token = login.cookies.find((c) => c.name === '__Host-refresh_token')?.value as string
  const refreshed = await app.inject({ method: 'POST', url: '/v2/auth/refresh', headers, cookies: { '__Host-refresh_token': token } })
  t.equal(refreshed.statusCode, 200, 'the cookie works for refresh through the proxy')
})

// Refusing to start without SECRET_KEY, FRONTEND_ORIGINS and DATABASE_URL is tested in test/server.test.ts.
t.test('the server process refuses TRUST_PROXY=true in production (it would believe the client\'s own X-Forwarded-For)', async (t) => {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    ENV: 'production',
    SECRET_KEY: 'k3Jd9-a8f7Hs0dJ2mZpQw4LrT6yUi1OpAsDfGhJkL0',
    FRONTEND_ORIGINS: DASHBOARD,
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    TRUST_PROXY: 'true'
  }
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 })
  t.not(result.status, 0)
  t.match(result.stderr, /TRUST_PROXY=true trusts every X-Forwarded-For entry/)
})
