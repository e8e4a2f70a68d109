import diagnosticsChannel from 'node:diagnostics_channel'
import t from 'tap'
import { METRIC_CHANNELS } from '../../src/plugins/metrics.js'
import { buildTestApp } from '../helper.js'
import { parseExposition, type Sample } from '../support/prometheus.js'

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))

t.test('GET /metrics exposes process, pool, service and request-duration series', async (t) => {
  const app = await buildTestApp(t)
  // A parametrised route like the campaigns module's, added the way route modules are.
  app.get('/probe/:name', async (request) => ({ name: (request.params as { name: string }).name }))
  await app.ready()

  for (const name of ['alpha', 'beta', 'gamma']) t.equal((await app.inject(`/probe/${name}`)).statusCode, 200)
  await app.inject('/health/live')
  await app.inject('/does-not-exist')
  app.appMetrics.loginAttempts.inc({ outcome: 'failure' })
  app.appMetrics.rateLimitRejections.inc({ route: '/v2/auth/token', scope: 'ip' })
  app.appMetrics.importRows.inc({ outcome: 'repaired' }, 3)

  const response = await app.inject('/metrics')
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  const { samples, types } = parseExposition(response.body)

  t.ok(find(samples, 'process_cpu_user_seconds_total').length === 1, 'default process metrics')
  t.ok(find(samples, 'nodejs_eventloop_lag_seconds').length === 1, 'default Node metrics')
  t.equal(types.get('http_request_duration_seconds'), 'histogram')

  const probe = find(samples, 'http_request_duration_seconds_count', { method: 'GET', route: '/probe/:name', status_code: '200' })
  t.equal(probe.length, 1, 'one series for the route pattern')
  t.equal(probe[0]?.value, 3, 'all three URLs counted in it')
  const routes = new Set(find(samples, 'http_request_duration_seconds_count').map((s) => s.labels.route))
  t.notOk([...routes].some((r) => /alpha|beta|gamma|does-not-exist/.test(r)), `no raw URL series (routes: ${[...routes].join(', ')})`)
  t.notOk([...routes].some((r) => /^\/(health|metrics|docs)/.test(r)), 'health, metrics and docs are not timed')

  for (const gauge of ['db_pool_connections_in_use', 'db_pool_connections_idle', 'db_pool_waiting_requests']) {
    t.equal(types.get(gauge), 'gauge', gauge)
    t.equal(find(samples, gauge).length, 1, `${gauge} has a value`)
  }
  t.equal(find(samples, 'auth_login_attempts_total', { outcome: 'success' })[0]?.value, 0, 'login successes start at 0')
  t.equal(find(samples, 'auth_login_attempts_total', { outcome: 'failure' })[0]?.value, 1)
  t.equal(find(samples, 'auth_refresh_token_reuse_total')[0]?.value, 0)
  t.equal(find(samples, 'rate_limit_rejections_total', { route: '/v2/auth/token', scope: 'ip' })[0]?.value, 1)
  t.equal(find(samples, 'import_rows_total', { outcome: 'repaired' })[0]?.value, 3)
  t.equal(find(samples, 'import_rows_total', { outcome: 'rejected' })[0]?.value, 0)
})

t.test('/metrics is hidden from the OpenAPI document', async (t) => {
  const app = await buildTestApp(t)
  const doc = (await app.inject('/docs/json')).json()
  t.notOk(Object.keys(doc.paths).includes('/metrics'))
})

t.test('with METRICS_TOKEN, /metrics needs the bearer token', async (t) => {
  const app = await buildTestApp(t, { METRICS_TOKEN: 'scrape-token-0123456789' })
  const missing = await app.inject('/metrics')
  t.equal(missing.statusCode, 401)
  t.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.match(missing.headers['www-authenticate'], /^Bearer/)
  t.equal((await app.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode, 401)
  const ok = await app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-token-0123456789' } })
  t.equal(ok.statusCode, 200)
  t.ok(parseExposition(ok.body).samples.length > 0)
})

t.test('without METRICS_TOKEN, /metrics is public', async (t) => {
  const app = await buildTestApp(t)
  t.equal((await app.inject('/metrics')).statusCode, 200)
})

t.test('events published on the diagnostics channels reach the counters, and stop after close', async (t) => {
  const app = await buildTestApp(t)
  const publish = (name: keyof typeof METRIC_CHANNELS, message: object) => diagnosticsChannel.channel(METRIC_CHANNELS[name]).publish(message)
  publish('login', { outcome: 'success' })
  publish('login', { outcome: 'locked' })
  publish('refreshReuse', { userId: 1, familyId: 'f' })
  publish('rateLimited', { route: '/v2/auth/login', scope: 'account' })
  publish('importRows', { outcome: 'loaded', count: 40 })
  publish('importRows', { outcome: 'rejected' })
  const { samples } = parseExposition((await app.inject('/metrics')).body)
  t.equal(find(samples, 'auth_login_attempts_total', { outcome: 'success' })[0]?.value, 1)
  t.equal(find(samples, 'auth_login_attempts_total', { outcome: 'locked' })[0]?.value, 1)
  t.equal(find(samples, 'auth_refresh_token_reuse_total')[0]?.value, 1)
  t.equal(find(samples, 'rate_limit_rejections_total', { route: '/v2/auth/login', scope: 'account' })[0]?.value, 1)
  t.equal(find(samples, 'import_rows_total', { outcome: 'loaded' })[0]?.value, 40)
  t.equal(find(samples, 'import_rows_total', { outcome: 'rejected' })[0]?.value, 1)
  await app.close()
  t.notOk(diagnosticsChannel.channel(METRIC_CHANNELS.login).hasSubscribers, 'unsubscribed when the app closes')
})

t.test('a failed login through the auth routes is counted', async (t) => {
  const app = await buildTestApp(t)
  const before = find(parseExposition((await app.inject('/metrics')).body).samples, 'auth_login_attempts_total', { outcome: 'failure' })[0]?.value ?? 0
  const response = await app.inject({ method: 'POST', url: '/v2/auth/token', payload: { email: 'nobody-here@example.com', password: 'Wrong-Password-1234' } })
  t.equal(response.statusCode, 401)
  const { samples } = parseExposition((await app.inject('/metrics')).body)
  t.equal(find(samples, 'auth_login_attempts_total', { outcome: 'failure' })[0]?.value, before + 1)
  t.equal(find(samples, 'http_request_duration_seconds_count', { method: 'POST', route: '/v2/auth/token', status_code: '401' })[0]?.value, 1)
})
