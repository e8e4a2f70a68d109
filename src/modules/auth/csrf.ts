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
