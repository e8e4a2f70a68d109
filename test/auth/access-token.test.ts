import t from 'tap'
import { createHmac, randomUUID } from 'node:crypto'
import { buildTestApp, createUserWithToken, TEST_SECRET } from '../helper.js'
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/plugins/authentication.js'

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Signs claims by hand, so a test can forge any header, claim or key. */
function forge (claims: Record<string, unknown>, options: { alg?: string, key?: string, header?: Record<string, unknown> } = {}): string {
  const header = { alg: options.alg ?? 'HS256', typ: 'JWT', ...options.header }
  const body = `${b64(header)}.${b64(claims)}`
  if (header.alg === 'none') return `${body}.`
  const signature = createHmac(header.alg === 'HS512' ? 'sha512' : 'sha256', options.key ?? TEST_SECRET).update(body).digest('base64url')
  return `${body}.${signature}`
}

t.test('access tokens: only HS256 with our key, issuer, audience, claims and a future expiry', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'admin' })
  const now = Math.floor(Date.now() / 1000)
  const good = { sub: String(user.id), cid: user.companyId, role: 'admin', token_use: 'access', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now, exp: now + 600, jti: randomUUID() }
  const me = (token: string) => app.inject({ url: '/v2/auth/me', headers: { authorization: `Bearer ${token}` } }).then((r) => r.statusCode)

  t.equal(await me(user.token), 200, 'the app-signed token works')
  t.equal(await me(forge(good)), 200, 'a well-formed forged token with the real key works (the forger is sound)')

  const refused: Array<[string, string]> = [
    ['alg none', forge(good, { alg: 'none' })],
    ['another key', forge(good, { key: 'another-secret-another-secret-another-secret' })],
    ['HS512 with our key', forge(good, { alg: 'HS512' })],
    ['wrong audience', forge({ ...good, aud: 'someone-else' })],
    ['wrong issuer', forge({ ...good, iss: 'https://evil.example' })],
    ['expired', forge({ ...good, iat: now - 1200, exp: now - 600 })],
    ['not an access token', forge({ ...good, token_use: 'refresh' })],
    ['no jti', forge({ ...good, jti: undefined })],
    ['no company', forge({ ...good, cid: undefined })],
    ['an unknown role', forge({ ...good, role: 'superuser' })],
    ['garbage', 'not.a.jwt']
  ]
  for (const [name, token] of refused) t.equal(await me(token), 401, name)

  const missing = await app.inject({ url: '/v2/auth/me' })
  t.equal(missing.statusCode, 401)
  t.match(missing.headers['www-authenticate'], /^Bearer/)
})

t.test('a token signed now is valid for ACCESS_TOKEN_EXPIRE_MINUTES', async (t) => {
  const app = await buildTestApp(t, { ACCESS_TOKEN_EXPIRE_MINUTES: '5' })
  const user = await createUserWithToken(app)
  const [header, claims] = user.token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
  t.equal(claims.exp - claims.iat, 300)
  t.equal(claims.iss, TOKEN_ISSUER)
  t.equal(claims.aud, TOKEN_AUDIENCE)
  t.match(claims.jti, /^[\da-f-]{36}$/)
  t.equal(header.alg, 'HS256')
})
