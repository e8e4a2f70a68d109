import t from 'tap'
import { buildTestApp } from '../helper.js'
import { startPrometheus, waitFor } from '../support/prometheus-server.js'

const JOB = 'campaign-analytics-api'
const TOKEN = 'scrape-token-for-the-prometheus-test-0123'

t.test('a real Prometheus, loaded with the shipped configuration and rules, scrapes the running app', async (t) => {
  const app = await buildTestApp(t, { METRICS_TOKEN: TOKEN })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const target = `127.0.0.1:${port}`

  // Traffic this test can count: three unauthenticated list requests, one failed login.
  for (let i = 0; i < 3; i++) t.equal((await fetch(`http://${target}/v2/campaigns`)).status, 401)
  const login = await fetch(`http://${target}/v2/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody-scraped@example.com', password: 'Wrong-Password-1234' }) })
  t.equal(login.status, 401)

  const prometheus = await startPrometheus(t, target, TOKEN)
  const up = await waitFor(() => prometheus.query(`up{job="${JOB}"}`), (r) => r.length > 0)
  t.equal(up[0]?.value[1], '1', 'the target is up (scraped with the bearer token)', { prometheus: prometheus.output().slice(-2000) })
  t.equal(up[0]?.metric.instance, target)
  t.equal(up[0]?.metric.service, JOB, 'the example\'s target labels are applied')

  const histogram = await prometheus.query(`http_request_duration_seconds_count{job="${JOB}",method="GET",route="/v2/campaigns",status_code="401"}`)
  t.equal(histogram.length, 1, 'one series for the route pattern')
  t.equal(histogram[0]?.value[1], '3', 'the request histogram counted the three requests')
  const buckets = await prometheus.query(`http_request_duration_seconds_bucket{job="${JOB}",route="/v2/campaigns",status_code="401",le="+Inf"}`)
  t.equal(buckets[0]?.value[1], '3', 'with its buckets')

  const logins = await prometheus.query(`auth_login_attempts_total{job="${JOB}",outcome="failure"}`)
  t.equal(logins[0]?.value[1], '1', 'the service\'s own counter: one failed login')
  const pool = await prometheus.query(`db_pool_connections_idle{job="${JOB}"}`)
  t.equal(pool.length, 1, 'the pool gauges are scraped')

  // Every shipped rule evaluates against the real series without an error.
  const groups = await waitFor(() => prometheus.rules(), (g) => g.length === 2 && g.every((group) => group.rules.every((rule) => rule.health !== 'unknown')))
  const rules = groups.flatMap((group) => group.rules)
  t.same(rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.health} ${rule.lastError ?? ''}`), [], 'all rules healthy')
  t.same(rules.filter((rule) => rule.type === 'alerting').map((rule) => rule.name).sort(), [
    'CampaignApiDatabasePoolSaturated', 'CampaignApiHigh5xxRatio', 'CampaignApiLegacyTraffic',
    'CampaignApiRateLimitRejections', 'CampaignApiRefreshTokenReuse', 'CampaignApiRouteSlowP99'
  ])
})
