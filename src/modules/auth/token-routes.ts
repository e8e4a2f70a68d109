import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { HttpProblem } from '../../errors.js'
import { FormLoginBody, JsonLoginBody, TokenResponse } from '../../../schemas/auth.js'
import { NO_SECURITY as security, NoContent, problemResponses } from '../../../schemas/common.js'
import { csrfGuard } from './csrf.js'
import { normaliseEmail } from './service.js'
import { ACCOUNT_FAILURE_LIMIT, type SessionHandlers } from './session-handlers.js'

/** The two login bodies: JSON, or the OAuth2 password form that Swagger UI and the old dashboard post. */
export const LoginBodies = { content: { 'application/json': { schema: JsonLoginBody }, 'application/x-www-form-urlencoded': { schema: FormLoginBody } } }

/**
 * Emails are trimmed and lower-cased before validation, whichever login form carried them. A request
 * without a body (no content type, so no per-type schema applies) is refused here, naming the fields.
 */
export async function normaliseLoginBody (request: FastifyRequest) {
  const body = request.body as Record<string, unknown> | undefined
  if (typeof body !== 'object' || body === null) {
    throw new HttpProblem(400, 'The body is missing: send JSON {"email", "password"} or the form fields username and password.', {
      type: 'urn:problem-type:validation-error',
      errors: [{ field: 'body.email', message: 'is required (username in the form)' }, { field: 'body.password', message: 'is required' }]
    })
  }
  for (const field of ['email', 'username']) {
    if (typeof body?.[field] === 'string') body[field] = normaliseEmail(body[field])
  }
}

export default async function tokenRoutes (fastify: FastifyInstance, { config, handlers }: { config: Config, handlers: SessionHandlers }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const perIp = { rateLimit: { max: config.LOGIN_RATE_LIMIT_PER_IP, timeWindow: 60_000 } }
  const guard = csrfGuard(config.frontendOrigins)

  app.post('/auth/token', {
    config: perIp,
    preValidation: normaliseLoginBody,
    schema: {
      tags: ['auth'],
      security,
      summary: 'Log in: an access token, and the refresh token in an httpOnly cookie',
      description: 'JSON `{email, password}` or the OAuth2 password form (`username`, `password`) that the Authorize button sends. ' +
        `The ${ACCOUNT_FAILURE_LIMIT + 1}th failed login within 15 minutes for one email answers 429.`,
      body: LoginBodies,
      response: { 200: TokenResponse, ...problemResponses(401) }
    }
  }, handlers.login)

  app.post('/auth/refresh', {
    config: perIp,
    onRequest: guard,
    schema: {
      tags: ['auth'],
      security,
      summary: 'Rotate the refresh cookie and get a new access token',
      description: 'Needs an allowed Origin or X-Requested-With. Presenting an already-rotated token revokes its whole family, ' +
        'except within REFRESH_REUSE_GRACE_SECONDS of its rotation (another tab refreshing at the same time), which gets a session of the same family.',
      response: { 200: TokenResponse, ...problemResponses(401, 403) }
    }
  }, handlers.refresh)

  app.post('/auth/logout', {
    onRequest: guard,
    schema: {
      tags: ['auth'],
      security,
      summary: 'Revoke the refresh cookie\'s session and clear the cookie',
      description: 'Answers 204 with or without a cookie. Needs an allowed Origin or X-Requested-With.',
      response: { 204: NoContent, ...problemResponses(403) }
    }
  }, async (request, reply) => {
    await handlers.logout(request, reply)
    return reply.code(204).send(null)
  })
}
