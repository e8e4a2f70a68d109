import t from 'tap'
import type { AddressInfo } from 'node:net'
import { buildTestApp } from '../helper.js'
import { COOKIE, DASHBOARD, PASSWORD, loggedIn, login, refresh, refreshTokenOf, uniqueEmail } from '../auth/support.js'

// Attacks that need accounts and sessions. Already proven in test/auth (not repeated here):
// a replayed refresh token revokes its family (refresh.test.ts), refresh/logout from a foreign
// Origin answer 403 (csrf-cookie.test.ts), password guessing answers 429 with Retry-After
// (rate-limit.test.ts), a deactivated user's /auth/me, refresh and login are refused (refresh.test.ts).

const PROBLEM = /^application\/problem\+json/

t.test('a deleted user: its access token is refused where the account is read, its refresh token is dead', async (t) => {
  const app = await buildTestApp(t)
  const session = await loggedIn(app)
  const authorization = `Bearer ${session.access}`
  t.equal((await app.inject({ url: '/v2/auth/me', headers: { authorization } })).statusCode, 200, 'the token works before the deletion')
  await app.db.deleteFrom('users').where('id', '=', session.user.id).execute()

  const me = await app.inject({ url: '/v2/auth/me', headers: { authorization } })
  t.equal(me.statusCode, 401, '/v2/auth/me')
  t.match(me.headers['content-type'], PROBLEM)
  const password = await app.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization }, payload: { current_password: PASSWORD, new_password: 'Another-Long-Pass-7' } })
  t.equal(password.statusCode, 403, '/v2/auth/password, even with the right current password')
  t.match(password.headers['content-type'], PROBLEM)
  const refreshed = await refresh(app, session.refreshToken)
  t.equal(refreshed.statusCode, 401, 'refresh')
  t.notOk(refreshTokenOf(refreshed), 'no new refresh cookie')
  t.equal((await login(app, session.email)).statusCode, 401, 'login')
})

t.test('a deactivated user: password change refused, and reactivation does not revive old sessions', async (t) => {
  const app = await buildTestApp(t)
  const owner = await loggedIn(app)
  const ownerAuth = { authorization: `Bearer ${owner.access}` }
  const email = uniqueEmail('viewer')
  const created = await app.inject({ method: 'POST', url: '/v2/auth/users', headers: ownerAuth, payload: { email, password: PASSWORD } })
  t.equal(created.statusCode, 201)
  const viewer = await login(app, email)
  const viewerAuth = { authorization: `Bearer ${viewer.json().access_token}` }
  const setActive = (isActive: boolean) => app.inject({ method: 'PATCH', url: `/v2/auth/users/${created.json().id}`, headers: ownerAuth, payload: { is_active: isActive } })

  t.equal((await setActive(false)).statusCode, 200, 'deactivated')
  const password = await app.inject({ method: 'POST', url: '/v2/auth/password', headers: viewerAuth, payload: { current_password: PASSWORD, new_password: 'Another-Long-Pass-7' } })
  // Issue 22, finding 8: the deactivation refused the access token at once (it answered 403 here, the account check, before).
  t.equal(password.statusCode, 401, 'its access token cannot change the password: it was refused')
  t.equal((await login(app, email, 'Another-Long-Pass-7')).statusCode, 401, 'and the password did not change')

  t.equal((await setActive(true)).statusCode, 200, 'reactivated')
  t.equal((await refresh(app, refreshTokenOf(viewer))).statusCode, 401, 'the refresh token of before the deactivation stays dead')
  t.equal((await app.inject({ url: '/v2/auth/me', headers: viewerAuth })).statusCode, 401, 'nor does the access token of before the deactivation')
  t.equal((await login(app, email)).statusCode, 200, 'a fresh login works')
})

t.test('nothing sensitive in the logs over HTTP: register → failed login → login → me → refresh → replay → logout', async (t) => {
  const lines: string[] = []
  // No grace window: the journey's replay must be refused (inside the window it is another tab: refresh-grace.test.ts).
  const app = await buildTestApp(t, { LOG_LEVEL: 'trace', REFRESH_REUSE_GRACE_SECONDS: '0' }, { logStream: { write: (line: string) => { lines.push(line) } } })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const email = uniqueEmail('logged')
  const wrongPassword = 'Guessed-Wrong-Pass-31'
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...DASHBOARD, ...headers }, body: JSON.stringify(body) })
  const cookieOf = (response: Response) => /refresh_token=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
  const withCookie = (token: string) => ({ cookie: `${COOKIE}=${token}` })

  t.equal((await post('/v2/auth/register', { email, password: PASSWORD })).status, 201, 'register')
  t.equal((await post('/v2/auth/token', { email, password: wrongPassword })).status, 401, 'a wrong password')
  const logged = await post('/v2/auth/token', { email, password: PASSWORD })
  t.equal(logged.status, 200, 'login')
  const access = (await logged.json() as { access_token: string }).access_token
  const firstRefresh = cookieOf(logged) as string
  t.equal((await fetch(`${base}/auth/me`, { headers: { authorization: `Bearer ${access}` } })).status, 200, 'me')
  const rotated = await post('/v2/auth/refresh', {}, withCookie(firstRefresh))
  t.equal(rotated.status, 200, 'refresh')
  const secondAccess = (await rotated.json() as { access_token: string }).access_token
  const secondRefresh = cookieOf(rotated) as string
  t.equal((await post('/v2/auth/refresh', {}, withCookie(firstRefresh))).status, 401, 'a replayed refresh token')
  t.equal((await post('/v2/auth/logout', {}, withCookie(secondRefresh))).status, 204, 'logout')

  const secrets = { password: PASSWORD, 'wrong password': wrongPassword, 'access token': access, 'refresh token': firstRefresh, 'second access token': secondAccess, 'second refresh token': secondRefresh }
  for (const [name, value] of Object.entries(secrets)) t.ok(typeof value === 'string' && value.length >= 16, `the ${name} was issued or sent`)
  const log = lines.join('')
  const completed = lines.filter((line) => line.includes('"msg":"request completed"')).length
  t.ok(completed >= 7, `${lines.length} log lines captured at level trace, ${completed} of them completed requests`)
  for (const [name, value] of Object.entries(secrets)) t.notOk(log.includes(value), `the ${name} is not in the logs`)
  const signatures = [access, secondAccess].map((token) => token.split('.')[2])
  t.notOk(signatures.some((s) => log.includes(s)), 'no access token signature is in the logs')
  t.comment(`attacks: ${completed} requests of a register → login → refresh → replay → logout journey over HTTP wrote ${lines.length} log lines at level trace; 0 of ${Object.keys(secrets).length} secrets (passwords, access and refresh tokens) in them`)
})

t.test('a login without a body is a 400 problem naming the missing fields (the fuzzer found a 500)', async (t) => {
  const app = await buildTestApp(t)
  for (const payload of [undefined, '']) {
    const response = await app.inject({ method: 'POST', url: '/v2/auth/token', payload })
    t.equal(response.statusCode, 400, `body ${JSON.stringify(payload)}`)
    t.match(response.headers['content-type'], PROBLEM)
    t.same(response.json().errors.map((e: { field: string }) => e.field), ['body.email', 'body.password'])
  }
})
