import { timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import metrics from 'fastify-metrics'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.js'
import { HttpProblem } from '../errors.js'
import { createAppMetrics, type AppMetrics } from './metrics-registry.js'
import { subscribeMetricChannels } from './metrics-events.js'

export type { AppMetrics, ImportRowOutcome, LoginOutcome } from './metrics-registry.js'
export { METRIC_CHANNELS } from './metrics-events.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's own counters; other features increment them (e.g. `app.appMetrics.loginAttempts.inc({ outcome: 'success' })`). */
    appMetrics: AppMetrics
  }
}

// Probes, scrapes and the docs would drown the latency histogram and say nothing about the API.
const EXCLUDED_ROUTES = [/^\/metrics/, /^\/health/, /^\/docs/]
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

function sameSecret (given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function bearerGuard (token: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? ''
    const given = header.startsWith('Bearer ') ? header.slice(7) : ''
    if (sameSecret(given, token)) return
    reply.header('www-authenticate', 'Bearer realm="metrics"')
    throw new HttpProblem(401, 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".')
  }
}

/** Production without METRICS_TOKEN: the endpoint answers, but only to say how to open it (it names the Node version and every route's traffic). */
async function closedInProduction () {
  throw new HttpProblem(403, 'GET /metrics is closed in production without METRICS_TOKEN: set METRICS_TOKEN and scrape with "Authorization: Bearer <METRICS_TOKEN>", or set METRICS_PUBLIC=true where only the scraper can reach the service.')
}

/** Who may scrape: the bearer of METRICS_TOKEN when it is set; anyone outside production or with METRICS_PUBLIC; nobody else. */
function scrapeGuard (config: Config) {
  if (config.METRICS_TOKEN) return bearerGuard(config.METRICS_TOKEN)
  if (config.isProduction && !config.METRICS_PUBLIC) return closedInProduction
  return undefined
}

/**
 * Prometheus exposition at GET /metrics: process metrics, a request-duration histogram by
 * method, route pattern and status, DB pool gauges and the service's counters.
 * Registered before the route modules: fastify-metrics learns the routes to time in onRoute.
 */
async function metricsPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const guard = scrapeGuard(config)
  if (guard === closedInProduction) app.log.warn('METRICS_TOKEN is not set: GET /metrics answers 403 in production (set METRICS_TOKEN, or METRICS_PUBLIC=true on a private network)')
  await app.register(metrics.default, {
    // Tests build many apps in one process; each build starts from an empty global registry.
    clearRegisterOnInit: true,
    defaultMetrics: { enabled: true },
    endpoint: {
      url: '/metrics',
      method: 'GET',
      schema: { hide: true },
      logLevel: 'warn',
      ...(guard ? { onRequest: guard } : {}),
      handler: async () => {} // replaced by fastify-metrics with the exposition handler
    },
    routeMetrics: {
      enabled: { histogram: true, summary: false },
      // Only registered routes are timed, so unknown URLs never become series.
      registeredRoutesOnly: true,
      routeBlacklist: EXCLUDED_ROUTES,
      overrides: { histogram: { buckets: LATENCY_BUCKETS } }
    }
  })
  const appMetrics = createAppMetrics(app.metrics.client, app.database.pool)
  const unsubscribe = subscribeMetricChannels(appMetrics)
  app.addHook('onClose', async () => unsubscribe())
  app.decorate('appMetrics', appMetrics)
}

export default fp(metricsPlugin, { name: 'metrics', fastify: '5.x', dependencies: ['database', 'errors'] })
