import type { IFastifyMetrics } from 'fastify-metrics'
import type pg from 'pg'

type PromClient = IFastifyMetrics['client']

/** 'locked': refused by the per-account failed-login limit before the password was checked. */
export type LoginOutcome = 'success' | 'failure' | 'locked'
/** What happened to one CSV row, counted once: loaded as given, loaded after a documented repair, an exact duplicate of a loaded row, or rejected (conflicts included). */
export type ImportRowOutcome = 'loaded' | 'repaired' | 'duplicate' | 'rejected'
/** An overview answered from the answers kept at the company's data version, or computed. */
export type CacheLookupResult = 'hit' | 'miss'

/** The counters other features increment: a narrow interface, so label names and values are checked at compile time. */
export type AppMetrics = {
  loginAttempts: { inc: (labels: { outcome: LoginOutcome }, value?: number) => void }
  refreshTokenReuse: { inc: (value?: number) => void }
  /** `route` is the route pattern (never a raw URL); `scope` what was counted: the client IP or the account. */
  rateLimitRejections: { inc: (labels: { route: string, scope: 'ip' | 'account' }, value?: number) => void }
  importRows: { inc: (labels: { outcome: ImportRowOutcome }, value?: number) => void }
  /** Requests answered by the deprecated root (v1) contract, by route pattern: operators see when clients have moved to /v2. */
  legacyRequests: { inc: (labels: { route: string }, value?: number) => void }
  overviewCacheLookups: { inc: (labels: { result: CacheLookupResult }, value?: number) => void }
}

const POOL_GAUGES: Array<[string, string, (pool: pg.Pool) => number]> = [
  ['db_pool_connections_in_use', 'Database connections checked out of the pool', (pool) => pool.totalCount - pool.idleCount],
  ['db_pool_connections_idle', 'Open database connections waiting in the pool', (pool) => pool.idleCount],
  ['db_pool_waiting_requests', 'Queries waiting for a free database connection', (pool) => pool.waitingCount]
]

/** Creates the service's metrics once, on fastify-metrics' own prom-client (never a second copy). */
export function createAppMetrics (client: PromClient, pool: pg.Pool): AppMetrics {
  // Gauges read the pool when scraped, so they cost nothing between scrapes.
  for (const [name, help, read] of POOL_GAUGES) {
    client.register.registerMetric(new client.Gauge({ name, help, registers: [], collect () { this.set(read(pool)) } }))
  }
  const loginAttempts = new client.Counter({ name: 'auth_login_attempts_total', help: 'Login attempts by outcome', labelNames: ['outcome'] as const })
  const refreshTokenReuse = new client.Counter({ name: 'auth_refresh_token_reuse_total', help: 'Refresh tokens presented after rotation (the family is revoked)' })
  const rateLimitRejections = new client.Counter({ name: 'rate_limit_rejections_total', help: 'Requests refused with 429, by route pattern and scope (ip or account)', labelNames: ['route', 'scope'] as const })
  const importRows = new client.Counter({ name: 'import_rows_total', help: 'Imported CSV rows by outcome', labelNames: ['outcome'] as const })
  const legacyRequests = new client.Counter({ name: 'legacy_api_requests_total', help: 'Requests to the deprecated v1 (root) contract, by route pattern', labelNames: ['route'] as const })
  const overviewCacheLookups = new client.Counter({ name: 'overview_cache_lookups_total', help: 'Overview requests answered from the answers kept at the company\'s data version (hit) or computed (miss)', labelNames: ['result'] as const })
  // Zero-valued series exist from the start, so dashboards and alerts see 0 rather than "no data".
  for (const outcome of ['success', 'failure'] as const) loginAttempts.inc({ outcome }, 0)
  for (const outcome of ['loaded', 'repaired', 'duplicate', 'rejected'] as const) importRows.inc({ outcome }, 0)
  for (const result of ['hit', 'miss'] as const) overviewCacheLookups.inc({ result }, 0)
  refreshTokenReuse.inc(0)
  return { loginAttempts, refreshTokenReuse, rateLimitRejections, importRows, legacyRequests, overviewCacheLookups }
}
