import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import { HttpProblem } from '../../errors.js'
import type { LoginBody, TokenResult } from '../../../schemas/auth.js'
import type { AuthUser } from '../../plugins/authentication.js'
import { refreshCookie } from './cookie.js'
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

export type SessionHandlers = ReturnType<typeof sessionHandlers>

/**
 * Login, refresh and logout, built once per app: the v2 routes and the v1 (legacy) routes call the
 * same handlers, so they share one per-account failure counter and one session flow.
 */
export function sessionHandlers (app: FastifyInstance, config: Config) {
  const cookie = refreshCookie(config)
  const accountFailures = app.createRateLimit({
    max: ACCOUNT_FAILURE_LIMIT,
    timeWindow: ACCOUNT_FAILURE_WINDOW_MS,
    // Hashed, so the limiter store (Redis) never holds an email address.
    keyGenerator: (request) => `login-failures:${createHash('sha256').update(loginEmail(request.body)).digest('hex')}`
  })

  function sendTokens (reply: FastifyReply, user: AuthUser, refresh: IssuedRefreshToken): TokenResult {
    reply.setCookie(cookie.name, refresh.token, { ...cookie.options, expires: refresh.expiresAt })
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
    return { access_token: app.signAccessToken(user), token_type: 'bearer' as const, expires_in: config.ACCESS_TOKEN_EXPIRE_MINUTES * 60 }
  }

  async function login (request: FastifyRequest, reply: FastifyReply): Promise<TokenResult> {
    const body = request.body as LoginBody
    const locked = await accountFailures(request, { increment: false })
    if (!locked.isAllowed && locked.remaining === 0 && locked.ttl > 0) {
      publishLogin({ outcome: 'locked' })
      publishRateLimited({ route: request.routeOptions.url ?? request.url, scope: 'account' })
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
  }

  async function refresh (request: FastifyRequest, reply: FastifyReply): Promise<TokenResult> {
    const session = await rotateSession(app.db, config, request.cookies[cookie.name])
    return sendTokens(reply, session.user, session)
  }

  /** Revokes the cookie's session (if any) and clears the cookie; the route chooses its answer. */
  async function logout (request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await endSession(app.db, request.cookies[cookie.name])
    reply.clearCookie(cookie.name, cookie.options).header('cache-control', 'no-store')
  }

  return { login, refresh, logout }
}
