import type { FastifyInstance } from 'fastify'
import type { OpenApiDocument } from './openapi.js'
import type { Probe } from './load.js'

/**
 * Database-backed requests the outage test sends when the OpenAPI document lists them.
 * Extend this list when a route lands: each entry must answer 2xx with the database up and
 * must need the database to answer (so 503 is the only right answer while it is down).
 */
export const DATABASE_ROUTES: Array<{ method: 'GET' | 'POST', path: string, url?: string, auth: boolean }> = [
  { method: 'GET', path: '/v2/campaigns', url: '/v2/campaigns?limit=5', auth: true },
  { method: 'GET', path: '/v2/analytics/overview', auth: true }
]

/** The path of the route the test app adds: a tenant-scoped read through the real error handler. */
export const PROBE_PATH = '/__probe/database'

/** A small protected database read, so the outage is tested through an API route even before the feature routes exist. */
export function addDatabaseProbe (app: FastifyInstance): void {
  app.get(PROBE_PATH, { schema: { hide: true }, preHandler: app.authenticate }, async (request) => {
    const row = await app.db.selectFrom('companies').select('name').where('id', '=', request.user.companyId).executeTakeFirstOrThrow()
    return { name: row.name }
  })
}

export function outageProbes (doc: OpenApiDocument, authorization: string): Probe[] {
  const probes: Probe[] = [
    { label: 'GET /health', request: { method: 'GET', url: '/health' }, database: true },
    { label: `GET ${PROBE_PATH}`, request: { method: 'GET', url: PROBE_PATH, headers: { authorization } }, database: true }
  ]
  for (const route of DATABASE_ROUTES) {
    if (!doc.paths[route.path]?.[route.method.toLowerCase()]) continue
    probes.push({
      label: `${route.method} ${route.path}`,
      request: { method: route.method, url: route.url ?? route.path, headers: route.auth ? { authorization } : {} },
      database: true
    })
  }
  return probes
}
