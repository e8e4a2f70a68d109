import type { FastifyInstance, FastifyRequest } from 'fastify'

export const LEGACY_TAG = 'v1 (legacy)'

/** The day the v1 contract was deprecated (v2 became the API), as RFC 9745 writes it: `@` and Unix seconds. */
const DEPRECATION = `@${Date.UTC(2026, 11, 2) / 1000}`

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The v2 route that replaces this v1 route, its `:name`-style parameters filled from the request's. */
    successor?: string
  }
}

/** The successor's URL for this request: the v2 pattern with this request's path parameters. */
function successorUrl (pattern: string, request: FastifyRequest): string {
  const params = request.params as Record<string, string> | undefined
  return pattern.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(params?.[key] ?? ''))
}

/**
 * Marks every route of this encapsulated context as the deprecated v1 contract: `deprecated` and
 * one tag in OpenAPI; on every answer (errors included) Deprecation (RFC 9745), Link to the
 * successor (rel="successor-version") and, when LEGACY_SUNSET is set, Sunset (RFC 8594); and one
 * count per request in legacy_api_requests_total, by route.
 */
export function serveAsLegacy (app: FastifyInstance, { sunset }: { sunset?: string }) {
  const sunsetHeader = sunset ? new Date(`${sunset}T00:00:00Z`).toUTCString() : undefined
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, deprecated: true, tags: [LEGACY_TAG] } as typeof route.schema
  })
  // Done-style hooks: an async one costs a promise per request, on every v1 answer.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('deprecation', DEPRECATION)
    const successor = request.routeOptions.config.successor
    if (successor) reply.header('link', `<${successorUrl(successor, request)}>; rel="successor-version"`)
    if (sunsetHeader) reply.header('sunset', sunsetHeader)
    done(null, payload)
  })
  app.addHook('onResponse', (request, _reply, done) => {
    app.appMetrics.legacyRequests.inc({ route: request.routeOptions.url ?? 'unknown' })
    done()
  })
}
