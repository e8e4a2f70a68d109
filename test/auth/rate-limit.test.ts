import t, { type Test } from 'tap'
import { Redis } from 'ioredis'
import { buildTestApp, openTestDatabase, uniqueName } from '../helper.js'
import { AUTH_EVENTS, type LoginEvent, type RateLimitedEvent } from '../../src/modules/auth/events.js'
import { PASSWORD, login, register } from './support.js'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

function collect<T> (t: Test, channel: typeof AUTH_EVENTS.login): T[] {
  const seen: T[] = []
  const listener = (message: unknown) => seen.push(message as T)
  channel.subscribe(listener)
  t.teardown(() => { channel.unsubscribe(listener) })
  return seen
}

t.test('per account: the 11th failed login in 15 minutes answers 429 with Retry-After', async (t) => {
  const app = await buildTestApp(t)
  const logins = collect<LoginEvent>(t, AUTH_EVENTS.login)
  const limited = collect<RateLimitedEvent>(t, AUTH_EVENTS.rateLimited)
  const { email } = await register(app)
  const { email: neighbour } = await register(app)

  for (let i = 1; i <= 10; i++) t.equal((await login(app, email, `wrong-password-${i}`)).statusCode, 401, `failure ${i}`)
  const eleventh = await login(app, email, 'wrong-password-11')
  t.equal(eleventh.statusCode, 429)
  t.equal(eleventh.headers['content-type'], 'application/problem+json; charset=utf-8')
  const retryAfter = Number(eleventh.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter} s`)
  t.equal((await login(app, email)).statusCode, 429, 'the right password waits too: guessing is stopped')
  t.equal((await login(app, email.toUpperCase())).statusCode, 429, 'the same account whatever the case')
  t.equal((await login(app, neighbour)).statusCode, 200, 'other accounts are not affected')

  t.equal(logins.filter((e) => e.outcome === 'failure').length, 10)
  t.equal(logins.filter((e) => e.outcome === 'locked').length, 3)
  t.equal(logins.filter((e) => e.outcome === 'success').length, 1)
  t.same(limited.filter((e) => e.scope === 'account').length, 3)
})

t.test('per account: successful logins do not count', async (t) => {
  const app = await buildTestApp(t)
  const { email } = await register(app)
  for (let i = 1; i <= 9; i++) await login(app, email, `wrong-password-${i}`)
  t.equal((await login(app, email)).statusCode, 200)
  t.equal((await login(app, email, 'wrong-password-10')).statusCode, 401, 'the 10th failure, 11th attempt, is still a 401')
  t.equal((await login(app, email, 'wrong-password-11')).statusCode, 429)
})

t.test('per IP: login, register and refresh have a loose limit', async (t) => {
  const app = await buildTestApp(t, { LOGIN_RATE_LIMIT_PER_IP: '3' })
  const limited = collect<RateLimitedEvent>(t, AUTH_EVENTS.rateLimited)
  const attempts: Array<[string, Record<string, unknown> | undefined, Record<string, string>]> = [
    ['/v2/auth/register', { email: 'not-an-email', password: PASSWORD }, {}],
    ['/v2/auth/token', { email: 'not-an-email', password: 'x' }, {}],
    ['/v2/auth/refresh', undefined, { 'x-requested-with': 'XMLHttpRequest' }]
  ]
  for (const [url, payload, headers] of attempts) {
    const codes = []
    for (let i = 0; i < 4; i++) codes.push((await app.inject({ method: 'POST', url, payload, headers })).statusCode)
    t.equal(codes[3], 429, `${url}: the 4th request within a minute is refused (${codes.join(',')})`)
    t.notOk(codes.slice(0, 3).includes(429), `${url}: the first 3 are not`)
  }
  const refused = await app.inject({ method: 'POST', url: '/v2/auth/register', payload: {} })
  t.equal(refused.statusCode, 429)
  t.ok(Number(refused.headers['retry-after']) > 0)
  t.equal(refused.json().status, 429, 'a problem document')
  t.ok(limited.some((e) => e.scope === 'ip'), 'rate-limit rejections are published for metrics')
})

t.test('with REDIS_URL, instances share the limits', async (t) => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
  } catch {
    t.fail(`Redis is not reachable at ${REDIS_URL}`)
    return
  }
  const prefix = `${uniqueName('test-auth')}:`
  t.teardown(async () => {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    await redis.quit()
  })
  const variables = { REDIS_URL, REDIS_KEY_PREFIX: prefix, LOGIN_RATE_LIMIT_PER_IP: '20' }
  const first = await buildTestApp(t, variables)
  // The second instance shares the first one's database only on PostgreSQL; the limits live in Redis either way.
  const second = await buildTestApp(t, variables, { connection: await openTestDatabase() })

  const { email } = await register(first)
  for (let i = 1; i <= 10; i++) t.equal((await login(first, email, `wrong-password-${i}`)).statusCode, 401)
  const locked = await login(second, email, 'wrong-password-11')
  t.equal(locked.statusCode, 429, 'failures counted on one instance lock the account on another')
  t.match(locked.json().detail, /failed logins for this account/)

  const post = (app: typeof first) => app.inject({ method: 'POST', url: '/v2/auth/refresh', headers: { 'x-requested-with': 'XMLHttpRequest' } })
  for (let i = 1; i <= 20; i++) await post(i % 2 === 0 ? first : second)
  t.equal((await post(first)).statusCode, 429, 'the per-IP count is shared too')
  t.ok((await redis.keys(`${prefix}*`)).length > 0, 'counters live under REDIS_KEY_PREFIX')
  t.equal((await redis.keys(`${prefix}*${email}*`)).length, 0, 'no email address in a key')
})
