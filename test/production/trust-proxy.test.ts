import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config.js'
import { serverOptions } from '../../src/app.js'

function problemsOf (env: Record<string, string>): string[] {
  try {
    loadConfig(env)
    return []
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
}

t.test('a bare hop count is refused with the reason and the fix', async (t) => {
  for (const value of ['1', '2', ' 1 ']) {
    t.match(problemsOf({ TRUST_PROXY: value }), [/hop count.*trusting nobody.*addresses or CIDRs/], value)
  }
})

t.test('entries that are neither addresses, CIDRs nor keywords are refused', async (t) => {
  t.match(problemsOf({ TRUST_PROXY: '10.0.0.0/8,proxy.internal' }), [/not addresses or CIDRs: proxy.internal/])
  t.match(problemsOf({ TRUST_PROXY: '10.0.0.0/33' }), [/10\.0\.0\.0\/33/])
  t.match(problemsOf({ TRUST_PROXY: 'yes' }), [/yes/])
})

t.test('addresses, CIDRs, keywords and "true" are accepted and reach Fastify as given', async (t) => {
  const config = loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback,uniquelocal' })
  t.same(serverOptions(config).trustProxy, ['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', 'loopback', 'uniquelocal'])
  t.equal(serverOptions(loadConfig({ TRUST_PROXY: 'true' })).trustProxy, true)
  t.equal(serverOptions(loadConfig({})).trustProxy, false)
})
