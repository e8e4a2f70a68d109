import fp from 'fastify-plugin'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { COMMON_PROBLEMS, problemResponses } from '../../schemas/common.js'

// Fastify reads a body on these methods: 413 past the body limit, 415 for a content type it has no parser for.
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The problem statuses a route can answer whatever its handler does, by method and path. */
export function commonStatuses (route: Pick<RouteOptions, 'method' | 'url'>): number[] {
  const methods = [route.method].flat().map((m) => String(m).toUpperCase())
  return [
    ...COMMON_PROBLEMS,
    ...(methods.some((m) => BODY_METHODS.has(m)) ? [413, 415] : []),
    // The router refuses a path parameter longer than its limit (app.ts, frameworkErrors).
    ...(route.url.includes(':') ? [414] : []),
    // Production behind the TLS proxy refuses plain HTTP everywhere but the health probes (https-only.ts).
    ...(route.url.startsWith('/health') ? [] : [426])
  ]
}

/**
 * Declares the statuses that come from the framework rather than the route (malformed input, an
 * unparseable content type, the rate limiter, a bug, the database or the process going away) on
 * every route that declares its responses, so routes list only their own. A status the route
 * declares itself is left as it is.
 */
async function commonProblemsPlugin (app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const response = (route.schema as { response?: Record<string, unknown> } | undefined)?.response
    if (!response) return
    for (const [status, entry] of Object.entries(problemResponses(...commonStatuses(route)))) {
      if (!(status in response)) response[status] = entry
    }
  })
}

export default fp(commonProblemsPlugin, { name: 'common-problems', fastify: '5.x' })
