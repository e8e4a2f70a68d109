import t from 'tap'
import { buildTestApp } from '../helper.js'
import { COOKIE, DASHBOARD, PASSWORD, login, logout, problemBody, refresh, refreshTokenOf, register, uniqueEmail } from './support.js'

t.test('register → login → me → refresh → refresh → logout', async (t) => {
  const app = await buildTestApp(t)
  const email = uniqueEmail('Journey')
  const company = `Journey ${email}`
  const registered = await register(app, { email: `  ${email.toUpperCase()} `, company_name: company })
  t.equal(registered.response.statusCode, 201)
  const user = registered.user
  t.equal(user.email, email.toLowerCase(), 'email trimmed and lower-cased')
  t.equal(user.role, 'owner')
  t.equal(user.is_active, true)
  t.notOk('password_hash' in user || 'password' in user, 'never the hash')

  const loginResponse = await login(app, email.toUpperCase())
  t.equal(loginResponse.statusCode, 200)
  t.equal(loginResponse.headers['cache-control'], 'no-store')
  const tokens = loginResponse.json()
  t.equal(tokens.token_type, 'bearer')
  t.equal(tokens.expires_in, 15 * 60)
  t.notOk('refresh_token' in tokens, 'the refresh token travels only in the cookie')
  const first = refreshTokenOf(loginResponse)
  t.match(first, /^[A-Za-z0-9_-]{43}$/, '256 bits, base64url')

  const me = await app.inject({ url: '/v2/auth/me', headers: { authorization: `Bearer ${tokens.access_token}` } })
  t.equal(me.statusCode, 200)
  t.same(me.json(), user)

  const second = await refresh(app, first)
  t.equal(second.statusCode, 200)
  t.equal(second.headers['cache-control'], 'no-store')
  const secondToken = refreshTokenOf(second)
  t.ok(secondToken && secondToken !== first, 'rotated')
  const meAgain = await app.inject({ url: '/v2/auth/me', headers: { authorization: `Bearer ${second.json().access_token}` } })
  t.equal(meAgain.json().id, user.id, 'the new access token is the same user')

  const third = await refresh(app, secondToken)
  t.equal(third.statusCode, 200)
  const thirdToken = refreshTokenOf(third)

  const out = await logout(app, thirdToken)
  t.equal(out.statusCode, 204)
  const cleared = out.cookies.find((c) => c.name === COOKIE)
  t.ok(cleared, 'the cookie is cleared')
  t.equal(cleared?.value, '')
  t.equal(cleared?.path, '/')
  t.equal(cleared?.sameSite, 'Lax', 'cleared with the attributes it was set with')
  t.equal((await refresh(app, thirdToken)).statusCode, 401, 'the session is over')

  // Only the SHA-256 of the token is stored.
  const stored = await app.db.selectFrom('refresh_tokens').select('token_hash').where('user_id', '=', user.id).execute()
  t.equal(stored.length, 3)
  for (const row of stored) t.match(row.token_hash, /^[0-9a-f]{64}$/)
  t.notOk(stored.some((row) => [first, secondToken, thirdToken].includes(row.token_hash)))
})

t.test('the OAuth2 password form logs in as Swagger\'s Authorize sends it', async (t) => {
  const app = await buildTestApp(t)
  const { email } = await register(app)
  const response = await app.inject({
    method: 'POST',
    url: '/v2/auth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'password', username: ` ${email.toUpperCase()}`, password: PASSWORD, scope: '' }).toString()
  })
  t.equal(response.statusCode, 200)
  t.equal(response.json().token_type, 'bearer')
  t.ok(refreshTokenOf(response))
  const wrong = await app.inject({
    method: 'POST',
    url: '/v2/auth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username: email, password: 'wrong-password-1' }).toString()
  })
  t.equal(wrong.statusCode, 401)
})

t.test('unknown email and wrong password answer the same 401', async (t) => {
  const app = await buildTestApp(t)
  const { email } = await register(app)
  const wrongPassword = await login(app, email, 'not-the-password')
  const unknownEmail = await login(app, uniqueEmail('nobody'), 'not-the-password')
  t.equal(wrongPassword.statusCode, 401)
  t.equal(unknownEmail.statusCode, 401)
  t.same(problemBody(wrongPassword), problemBody(unknownEmail))
  t.notOk(refreshTokenOf(wrongPassword), 'no cookie on failure')
})

t.test('registration rules', async (t) => {
  const app = await buildTestApp(t)
  const { email, user } = await register(app)
  t.equal(user.email, email)
  const company = await app.db.selectFrom('companies').select('name').where('id', '=', user.company_id).executeTakeFirstOrThrow()
  t.equal(company.name, email, 'named after the email when company_name is omitted')

  const duplicate = await register(app, { email: email.toUpperCase() })
  t.equal(duplicate.response.statusCode, 409, 'duplicate email, case-insensitively')

  const named = `Acme ${uniqueEmail()}`
  t.equal((await register(app, { company_name: named })).response.statusCode, 201)
  t.equal((await register(app, { company_name: named.toUpperCase() })).response.statusCode, 409, 'a taken company name is not joined')

  for (const password of ['short1!', 'x'.repeat(129), 'password123', 'Qwerty123', 'iloveyou2024']) {
    const refused = await register(app, { password })
    t.equal(refused.response.statusCode, 400, `refuses ${password.slice(0, 12)}`)
  }
  t.equal((await register(app, { email: 'not-an-email' })).response.statusCode, 400)

  // A valid email of 201-254 characters cannot name a company (200 at most): ask for company_name, never a 500.
  const long = `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(10)}.com`
  const unnamed = await register(app, { email: long })
  t.equal(unnamed.response.statusCode, 400, unnamed.response.body.slice(0, 300))
  t.match(unnamed.user, { errors: [{ field: 'body.company_name', message: /longer than 200 characters/ }] })
  t.equal(await app.db.selectFrom('users').select('id').where('email', '=', long).executeTakeFirst(), undefined, 'nothing stored')
  t.equal((await register(app, { email: long, company_name: `Long ${uniqueEmail()}` })).response.statusCode, 201, 'with company_name it registers')
  const huge = await app.inject({ method: 'POST', url: '/v2/auth/register', payload: { email: uniqueEmail(), password: 'x'.repeat(500_000) } })
  t.equal(huge.statusCode, 400, 'a huge password is refused by validation, before hashing')
})

t.test('logout answers 204 without a cookie, and with an unknown one', async (t) => {
  const app = await buildTestApp(t)
  t.equal((await logout(app, undefined)).statusCode, 204)
  t.equal((await logout(app, 'A'.repeat(43))).statusCode, 204)
  t.equal((await logout(app, undefined, { 'x-requested-with': 'XMLHttpRequest' })).statusCode, 204)
})

t.test('refresh without a cookie, or with garbage, is 401', async (t) => {
  const app = await buildTestApp(t)
  t.equal((await refresh(app, undefined)).statusCode, 401)
  t.equal((await refresh(app, 'garbage')).statusCode, 401)
  t.equal((await refresh(app, 'B'.repeat(43), DASHBOARD)).statusCode, 401)
})
