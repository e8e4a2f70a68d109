import type { FastifyRequest } from 'fastify'
import { HttpProblem } from '../../errors.js'

/**
 * onRequest guard for the endpoints the refresh cookie authenticates (/auth/refresh, /auth/logout).
 * CORS does not stop a cross-site POST from running, so: an Origin must be one of FRONTEND_ORIGINS;
 * without Origin, X-Requested-With is required (a header no HTML form can send); and only JSON or
 * no body is accepted, since text/plain and form bodies are what a cross-site form can post.
 */
export function csrfGuard (allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins)
  return async function csrf (request: FastifyRequest) {
    const origin = request.headers.origin
    if (origin !== undefined) {
      if (!allowed.has(origin)) throw new HttpProblem(403, 'This origin may not use the refresh cookie: it is not in FRONTEND_ORIGINS.')
    } else if (request.headers['x-requested-with'] === undefined) {
      throw new HttpProblem(403, 'Send an allowed Origin or an X-Requested-With header with cookie-authenticated requests.')
    }
    const type = request.headers['content-type']
    if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
      throw new HttpProblem(415, 'Send no body or application/json here; text/plain and form bodies are refused.')
    }
  }
}

/** The account routes a hostile page could post to without any cookie: logging in and registering, at any version's prefix. */
export const LOGIN_CSRF_ROUTES = /\/auth\/(token|register)$/

/** Whether `origin` is this service's own (Swagger UI at /docs posts from it), as the request's Host and scheme say. */
function isOwnOrigin (origin: string, request: FastifyRequest): boolean {
  try {
    const given = new URL(origin)
    // Through URL both sides drop a default port: a browser's Origin never names :443 or :80.
    return given.origin === new URL(`${request.protocol}://${request.host}`).origin
  } catch {
    return false
  }
}

/**
 * onRequest guard for login and registration (login CSRF, issue 22): a hostile page's form post
 * would log the victim's browser into the attacker's tenant, refresh cookie and all. A browser sends
 * Origin on every POST, so an Origin must be one of FRONTEND_ORIGINS or the service's own; a
 * request without Origin is not a browser's (scripts, curl) and passes, as do Swagger UI's form posts.
 */
export function loginOriginGuard (allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins)
  return async function loginCsrf (request: FastifyRequest) {
    const origin = request.headers.origin
    if (origin === undefined || allowed.has(origin) || isOwnOrigin(origin, request)) return
    throw new HttpProblem(403, 'This origin may not log in or register here: it is not in FRONTEND_ORIGINS.')
  }
}
