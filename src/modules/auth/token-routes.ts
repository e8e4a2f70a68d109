import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { HttpProblem } from '../../errors.js'
import { FormLoginBody, JsonLoginBody, TokenResponse, type LoginBody } from '../../../schemas/auth.js'
import { NoContent, problemResponses } from '../../../schemas/common.js'
import type { AuthUser } from '../../plugins/authentication.js'
import { refreshCookie } from './cookie.js'
import { csrfGuard } from './csrf.js'
import { publishLogin, publishRateLimited } from './events.js'
import { checkCredentials, normaliseEmail } from './service.js'
import { endSession, rotateSession, startSession, type IssuedRefreshToken } from './sessions.js'

/** Per account: the 11th failed login within 15 minutes is refused (successes do not count). */
export const ACCOUNT_FAILURE_LIMIT = 10
export const ACCOUNT_FAILURE_WINDOW_MS = 15 * 60_000

const loginEmail = (body: unknown): string => {
  const fields = (body ?? {}) as Partial<Record<'email' | 'username', string>>
  return normaliseEmail(fields.email ?? fields.username ?? '')
}

/**
 * Emails are trimmed and lower-cased before validation, whichever login form carried them. A request
 * without a body (no content type, so no per-type schema applies) is refused here, naming the fields.
 */
async function normaliseLoginBody (request: FastifyRequest) {
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

export default async function tokenRoutes (fastify: FastifyInstance, { config }: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const cookie = refreshCookie(config)
  const perIp = { rateLimit: { max: config.LOGIN_RATE_LIMIT_PER_IP, timeWindow: 60_000 } }
  const guard = csrfGuard(config.frontendOrigins)
  const accountFailures = app.createRateLimit({
    max: ACCOUNT_FAILURE_LIMIT,
    timeWindow: ACCOUNT_FAILURE_WINDOW_MS,
    // Hashed, so the limiter store (Redis) never holds an email address.
    keyGenerator: (request) => `login-failures:${createHash('sha256').update(loginEmail(request.body)).digest('hex')}`
  })

  function sendTokens (reply: FastifyReply, user: AuthUser, refresh: IssuedRefreshToken) {
    reply.setCookie(cookie.name, refresh.token, { ...cookie.options, expires: refresh.expiresAt })
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
    return { access_token: app.signAccessToken(user), token_type: 'bearer' as const, expires_in: config.ACCESS_TOKEN_EXPIRE_MINUTES * 60 }
  }

  app.post('/auth/token', {
    config: perIp,
    preValidation: normaliseLoginBody,
    schema: {
      tags: ['auth'],
      summary: 'Log in: an access token, and the refresh token in an httpOnly cookie',
      description: 'JSON `{email, password}` or the OAuth2 password form (`username`, `password`) that the Authorize button sends. ' +
        `The ${ACCOUNT_FAILURE_LIMIT + 1}th failed login within 15 minutes for one email answers 429.`,
      body: { content: { 'application/json': { schema: JsonLoginBody }, 'application/x-www-form-urlencoded': { schema: FormLoginBody } } },
      response: { 200: TokenResponse, ...problemResponses(401) }
    }
  }, async (request, reply) => {
    const body = request.body as LoginBody
    const locked = await accountFailures(request, { increment: false })
    if (!locked.isAllowed && locked.remaining === 0 && locked.ttl > 0) {
      publishLogin({ outcome: 'locked' })
      publishRateLimited({ route: request.routeOptions.url ?? '/auth/token', scope: 'account' })
      throw new HttpProblem(429, `Too many failed logins for this account: retry in ${locked.ttlInSeconds} s.`, { headers: { 'retry-after': String(locked.ttlInSeconds) } })
    }
    let user: AuthUser
    try {
      user = await checkCredentials(app.db, 'email' in body ? body.email : body.username, body.password)
    } catch (error) {
      if (error instanceof HttpProblem && error.statusCode === 401) {
        await accountFailures(request)
        publishLogin({ outcome: 'failure' })
      }
      throw error
    }
    publishLogin({ outcome: 'success' })
    return sendTokens(reply, user, await startSession(app.db, config, user.id))
  })

  app.post('/auth/refresh', {
    config: perIp,
    onRequest: guard,
    schema: {
      tags: ['auth'],
      summary: 'Rotate the refresh cookie and get a new access token',
      description: 'Needs an allowed Origin or X-Requested-With. Presenting an already-rotated token revokes its whole family.',
      response: { 200: TokenResponse, ...problemResponses(401, 403) }
    }
  }, async (request, reply) => {
    const session = await rotateSession(app.db, config, request.cookies[cookie.name])
    return sendTokens(reply, session.user, session)
  })

  app.post('/auth/logout', {
    onRequest: guard,
    schema: {
      tags: ['auth'],
      summary: 'Revoke the refresh cookie\'s session and clear the cookie',
      description: 'Answers 204 with or without a cookie. Needs an allowed Origin or X-Requested-With.',
      response: { 204: NoContent, ...problemResponses(403) }
    }
  }, async (request, reply) => {
    await endSession(app.db, request.cookies[cookie.name])
    reply.clearCookie(cookie.name, cookie.options).header('cache-control', 'no-store')
    return reply.code(204).send(null)
  })
}
