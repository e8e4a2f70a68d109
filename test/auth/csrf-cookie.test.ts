import t from 'tap'
import { buildTestApp, openTestDatabase } from '../helper.js'
import { loadConfig } from '../../src/config.js'
import { refreshCookie } from '../../src/modules/auth/cookie.js'
import { COOKIE, PASSWORD, loggedIn, login, register } from './support.js'

const PRODUCTION = {
  ENV: 'production',
  SECRET_KEY: 'k3Jd9-a8f7Hs0dJ2mZpQw4LrT6yUi1OpAsDfGhJkL0',
  FRONTEND_ORIGINS: 'https://dashboard.example.com',
  DATABASE_URL: 'postgres://api@db.example.com:5432/campaigns'
}

t.test('CSRF rules of the cookie-authenticated endpoints', async (t) => {
  const app = await buildTestApp(t)
  const session = await loggedIn(app)
  const post = (url: string, headers: Record<string, string>, payload?: string) =>
    app.inject({ method: 'POST', url, headers, cookies: { [COOKIE]: session.refreshToken }, payload })

  for (const url of ['/v2/auth/refresh', '/v2/auth/logout']) {
    t.equal((await post(url, { origin: 'https://evil.example' })).statusCode, 403, `${url}: foreign Origin`)
    t.equal((await post(url, { origin: 'https://evil.example', 'x-requested-with': 'XMLHttpRequest' })).statusCode, 403, `${url}: foreign Origin even with X-Requested-With`)
    t.equal((await post(url, { origin: 'null' })).statusCode, 403, `${url}: opaque Origin`)
    t.equal((await post(url, {})).statusCode, 403, `${url}: neither Origin nor X-Requested-With`)
    t.equal((await post(url, { origin: 'http://dashboard.test', 'content-type': 'text/plain' }, '{}')).statusCode, 415, `${url}: text/plain`)
    t.equal((await post(url, { 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/x-www-form-urlencoded' }, 'a=1')).statusCode, 415, `${url}: form body`)
    t.equal((await post(url, { 'x-requested-with': 'XMLHttpRequest', 'content-type': 'multipart/form-data; boundary=x' }, '--x--')).statusCode, 415, `${url}: multipart body`)
    t.equal((await app.inject({ method: 'GET', url, cookies: { [COOKIE]: session.refreshToken }, headers: { origin: 'http://dashboard.test' } })).statusCode, 404, `${url}: POST only`)
  }
  // None of the refused requests touched the session: it still rotates.
  const ok = await post('/v2/auth/refresh', { origin: 'http://dashboard.test', 'content-type': 'application/json' }, '{}')
  t.equal(ok.statusCode, 200, 'allowed Origin with a JSON body')
  const token = ok.cookies.find((c) => c.name === COOKIE)?.value as string
  const viaHeader = await app.inject({ method: 'POST', url: '/v2/auth/refresh', headers: { 'x-requested-with': 'XMLHttpRequest' }, cookies: { [COOKIE]: token } })
  t.equal(viaHeader.statusCode, 200, 'X-Requested-With without Origin (scripts, same-origin tools)')
  t.equal(ok.headers['access-control-allow-origin'], 'http://dashboard.test')
  t.equal(ok.headers['access-control-allow-credentials'], 'true')
})

t.test('refresh cookie attributes in development', async (t) => {
  const app = await buildTestApp(t)
  const { email } = await register(app)
  const response = await login(app, email, PASSWORD)
  const cookie = response.cookies.find((c) => c.name === COOKIE)
  t.ok(cookie, 'plain name refresh_token')
  t.equal(cookie?.httpOnly, true)
  t.notOk(cookie?.secure, 'not Secure, so http://localhost works')
  t.equal(cookie?.sameSite, 'Lax')
  t.equal(cookie?.path, '/')
  t.equal(cookie?.domain, undefined)
  t.ok(cookie?.expires && cookie.expires.getTime() > Date.now() + 6.9 * 86_400_000, 'expires with the idle expiry')
})

t.test('refresh cookie attributes in production', async (t) => {
  t.same(refreshCookie(loadConfig(PRODUCTION)), {
    name: '__Host-refresh_token',
    options: { httpOnly: true, secure: true, sameSite: 'none', path: '/' }
  })
  t.equal(refreshCookie(loadConfig({ ...PRODUCTION, COOKIE_SAMESITE: 'strict' })).options.sameSite, 'strict', 'COOKIE_SAMESITE overrides')
  t.equal(refreshCookie(loadConfig({ ...PRODUCTION, COOKIE_SAMESITE: 'strict' })).options.secure, true)

  // The production app itself sets it so, and its refresh route reads that name.
  const app = await buildTestApp(t, { ...PRODUCTION, LOG_LEVEL: 'silent' }, { connection: await openTestDatabase() })
  const { email } = await register(app)
  const response = await login(app, email)
  t.equal(response.statusCode, 200)
  const setCookie = String(response.headers['set-cookie'])
  t.match(setCookie, /^__Host-refresh_token=[A-Za-z0-9_-]{43};/)
  t.match(setCookie, /; Path=\//)
  t.match(setCookie, /; HttpOnly/)
  t.match(setCookie, /; Secure/)
  t.match(setCookie, /; SameSite=None/)
  t.notMatch(setCookie, /Domain=/i)
  const token = response.cookies.find((c) => c.name === '__Host-refresh_token')?.value as string
  const rotated = await app.inject({ method: 'POST', url: '/v2/auth/refresh', headers: { origin: 'https://dashboard.example.com' }, cookies: { '__Host-refresh_token': token } })
  t.equal(rotated.statusCode, 200)
  const out = await app.inject({ method: 'POST', url: '/v2/auth/logout', headers: { origin: 'https://dashboard.example.com' }, cookies: { '__Host-refresh_token': rotated.cookies[0].value } })
  t.equal(out.statusCode, 204)
  const cleared = String(out.headers['set-cookie'])
  t.match(cleared, /^__Host-refresh_token=;/)
  t.match(cleared, /; Secure/)
  t.match(cleared, /; SameSite=None/)
  t.match(cleared, /; Path=\//)
})
