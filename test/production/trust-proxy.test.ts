import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'
import { serverOptions } from '../../src/app.js'
import { buildTestApp } from '../helper.js'

function problemsOf (env: Record<string, string>): string[] {
  try {
    loadConfig(env)
    return []
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
}

const PRODUCTION = { ENV: 'production', SECRET_KEY: 'k3Jd9-a8f7Hs0dJ2mZpQw4LrT6yUi1OpAsDfGhJkL0', FRONTEND_ORIGINS: 'https://dashboard.example.com', DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused' }

t.test('TRUST_PROXY=true is refused in production, with the reason and the fix', async (t) => {
  t.match(problemsOf({ ...PRODUCTION, TRUST_PROXY: 'true' }), [/TRUST_PROXY=true.*left-most.*any client can write.*addresses or CIDRs.*number of proxies.*Render: 2/])
  t.equal(serverOptions(loadConfig({ TRUST_PROXY: 'true' })).trustProxy, true, 'outside production it still means what Fastify says')
})

t.test('a hop count of 1 to 10 is accepted and reaches Fastify as a function (its own number option trusts nobody)', async (t) => {
  for (const value of ['1', '2', ' 2 ', '10']) {
    const option = serverOptions(loadConfig({ ...PRODUCTION, TRUST_PROXY: value })).trustProxy
    t.type(option, 'function', value)
    const trust = option as (address: string, hop: number) => boolean
    const hops = Number(value)
    t.ok(trust('10.0.0.1', hops - 1), `${value}: hop ${hops - 1} is a proxy`)
    t.notOk(trust('10.0.0.1', hops), `${value}: hop ${hops} is the client`)
  }
  for (const value of ['0', '11']) t.match(problemsOf({ TRUST_PROXY: value }), [/hop count outside 1 to 10/], value)
})

t.test('entries that are neither addresses, CIDRs, keywords nor a hop count are refused', async (t) => {
  t.match(problemsOf({ TRUST_PROXY: '10.0.0.0/8,proxy.internal' }), [/not addresses or CIDRs: proxy.internal/])
  t.match(problemsOf({ TRUST_PROXY: '10.0.0.0/33' }), [/10\.0\.0\.0\/33/])
  t.match(problemsOf({ TRUST_PROXY: 'yes' }), [/yes/])
  t.match(problemsOf({ TRUST_PROXY: '2,10.0.0.1' }), [/not addresses or CIDRs: 2/])
})

t.test('addresses, CIDRs and keywords are accepted and reach Fastify as given', async (t) => {
  const config = loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback,uniquelocal' })
  t.same(serverOptions(config).trustProxy, ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', 'loopback', 'uniquelocal'])
  t.equal(serverOptions(loadConfig({})).trustProxy, false)
})

// Issue 22, finding 5: with TRUST_PROXY=true the client wrote its own address as the left-most
// X-Forwarded-For entry, and the per-IP login limit never fired (150 × 401, no 429).
const LIMIT = 3
const forgedLogins = async (app: Awaited<ReturnType<typeof buildTestApp>>, forwardedFor: (i: number) => string, remoteAddress: string) => {
  const statuses: number[] = []
  for (let i = 0; i < LIMIT + 2; i++) {
    const response = await app.inject({
      method: 'POST',
      url: '/v2/auth/token',
      remoteAddress,
      headers: { 'x-forwarded-for': forwardedFor(i), 'x-forwarded-proto': 'https' },
      payload: { email: `nobody-${i}@example.com`, password: 'Wrong-Password-1234' }
    })
    statuses.push(response.statusCode)
  }
  return statuses
}

t.test('a forged left-most X-Forwarded-For does not escape the per-IP login limit, and the logs name the real client', async (t) => {
  const cases = [
    // Render: Cloudflare's edge appends the client, Render's proxy appends the edge and connects from 10.x.
    { label: 'a hop count (Render: 2)', TRUST_PROXY: '2', remoteAddress: '10.21.157.68', chain: (forged: string) => `${forged}, 198.51.100.7, 104.22.17.40` },
    { label: 'the proxy\'s address', TRUST_PROXY: '10.21.157.68', remoteAddress: '10.21.157.68', chain: (forged: string) => `${forged}, 198.51.100.7` },
    { label: 'the proxies\' CIDRs', TRUST_PROXY: '10.0.0.0/8,104.16.0.0/13', remoteAddress: '10.21.157.68', chain: (forged: string) => `${forged}, 198.51.100.7, 104.22.17.40` }
  ]
  for (const { label, TRUST_PROXY, remoteAddress, chain } of cases) {
    const lines: string[] = []
    const app = await buildTestApp(t, { TRUST_PROXY, LOGIN_RATE_LIMIT_PER_IP: String(LIMIT), LOG_LEVEL: 'info' }, { logStream: { write: (line: string) => { lines.push(line) } } })
    const statuses = await forgedLogins(app, (i) => chain(`203.0.113.${i + 1}`), remoteAddress)
    t.same(statuses, [401, 401, 401, 429, 429], `${label}: the ${LIMIT + 1}th attempt from one client is refused whatever it forges`)
    const ips = new Set(lines.map((line) => JSON.parse(line) as { req?: { ip?: string } }).map((entry) => entry.req?.ip).filter(Boolean))
    t.same([...ips], ['198.51.100.7'], `${label}: the logs name the real client, never a forged address`)
    await app.close()
  }
})
