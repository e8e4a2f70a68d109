import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { buildTestApp } from '../helper.js'
import { PASSWORD, register } from '../auth/support.js'

// Finding 4 of issue 22: ten wrong passwords from ten addresses locked the owner out for 15 minutes.
const DEVICE = 'device'

const deviceOf = (response: LightMyRequestResponse) => response.cookies.find((c) => c.name === DEVICE)

const loginFrom = (app: Awaited<ReturnType<typeof buildTestApp>>, email: string, password: string, remoteAddress: string, device?: string) =>
  app.inject({ method: 'POST', url: '/v2/auth/token', remoteAddress, payload: { email, password }, cookies: device ? { [DEVICE]: device } : {} })

t.test('a successful login sets a signed, httpOnly device cookie for the account', async (t) => {
  const app = await buildTestApp(t)
  const { email } = await register(app)
  const cookie = deviceOf(await loginFrom(app, email, PASSWORD, '192.0.2.1'))
  t.ok(cookie, 'set on success')
  t.equal(cookie?.httpOnly, true)
  t.equal(cookie?.path, '/')
  t.ok(Number(cookie?.maxAge) > 30 * 24 * 3600, 'kept for months')
  t.notOk(cookie?.value.includes(email.split('@')[0]), 'names no email')
  t.notOk(deviceOf(await loginFrom(app, email, 'wrong-password', '192.0.2.1')), 'not on a failure')
})

t.test('ten wrong passwords from ten addresses no longer lock the owner out', async (t) => {
  const app = await buildTestApp(t)
  const { email } = await register(app)
  for (let i = 1; i <= 10; i++) t.equal((await loginFrom(app, email, `wrong-${i}`, `198.51.100.${i}`)).statusCode, 401)
  t.equal((await loginFrom(app, email, PASSWORD, '203.0.113.7')).statusCode, 200, 'the owner logs in from a new address, without a device cookie')
})

t.test('under a distributed attack the owner\'s known browser keeps logging in; untrusted clients are limited', async (t) => {
  const app = await buildTestApp(t, { LOGIN_FAILURES_PER_ACCOUNT: '12' })
  const { email } = await register(app)
  const device = deviceOf(await loginFrom(app, email, PASSWORD, '203.0.113.7'))!.value

  // An attacker: 11 guesses from one address (10 counted), then 2 more from other addresses: 12 failures in all.
  const one = []
  for (let i = 1; i <= 11; i++) one.push((await loginFrom(app, email, `wrong-${i}`, '198.51.100.1')).statusCode)
  t.same(one, [...Array(10).fill(401), 429], 'one address: 10 guesses, then 429 (per account and address)')
  for (let i = 2; i <= 3; i++) t.equal((await loginFrom(app, email, `wrong-${i}`, `198.51.100.${i}`)).statusCode, 401, `address ${i}: a guess is checked`)
  const locked = await loginFrom(app, email, 'wrong-4', '198.51.100.4')
  t.equal(locked.statusCode, 429, 'past LOGIN_FAILURES_PER_ACCOUNT over every address, untrusted clients are locked out')
  t.ok(Number(locked.headers['retry-after']) > 0, 'with Retry-After')

  const owner = await loginFrom(app, email, PASSWORD, '203.0.113.8', device)
  t.equal(owner.statusCode, 200, 'the real owner, with its device cookie, logs in during the attack (from any address)')
  const renewed = deviceOf(owner)!.value
  t.not(renewed, device, 'and gets a fresh device cookie')
  t.equal((await loginFrom(app, email, PASSWORD, '203.0.113.9')).statusCode, 429, 'without the cookie, from a new address: locked like any untrusted client')

  // A device cookie is bound to its account and cannot be forged.
  const { email: other } = await register(app)
  t.equal((await loginFrom(app, other, PASSWORD, '203.0.113.10', renewed)).statusCode, 200, 'another account ignores this cookie (and is not locked)')
  const [account, nonce] = renewed.split('.')
  const forged = `${account}.${nonce}.${'A'.repeat(43)}`
  t.equal((await loginFrom(app, email, PASSWORD, '203.0.113.11', forged)).statusCode, 429, 'a forged signature is an untrusted client')
})

t.test('a device cookie has its own failure limit: a stolen one is not a way around the lockout', async (t) => {
  const app = await buildTestApp(t)
  const { email } = await register(app)
  const device = deviceOf(await loginFrom(app, email, PASSWORD, '203.0.113.7'))!.value
  const codes = []
  for (let i = 1; i <= 11; i++) codes.push((await loginFrom(app, email, `wrong-${i}`, `198.51.100.${i}`, device)).statusCode)
  t.same(codes, [...Array(10).fill(401), 429], '10 failures with the cookie, from any addresses, lock that cookie')
  t.match((await loginFrom(app, email, PASSWORD, '198.51.100.50', device)).json().detail, /from this browser/)
  t.equal((await loginFrom(app, email, PASSWORD, '203.0.113.8')).statusCode, 200, 'the account is not locked for other clients')
})
