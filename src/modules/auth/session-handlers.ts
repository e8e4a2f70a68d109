import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import { HttpProblem } from '../../errors.js'
import type { LoginBody, TokenResult } from '../../../schemas/auth.js'
import type { AuthUser } from '../../plugins/authentication.js'
import { refreshCookie } from './cookie.js'
import { publishLogin } from './events.js'
import { loginThrottle } from './login-throttle.js'
import { checkCredentials } from './service.js'
import { endSession, rotateSession, startSession, type IssuedRefreshToken } from './sessions.js'

/** Per account and address (or per device cookie): the 11th failed login within 15 minutes is refused (successes do not count). */
export { LOGIN_FAILURE_LIMIT as ACCOUNT_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW_MS as ACCOUNT_FAILURE_WINDOW_MS } from './login-throttle.js'

export type SessionHandlers = ReturnType<typeof sessionHandlers>

/**
 * Login, refresh and logout, built once per app: the v2 routes and the v1 (legacy) routes call the
 * same handlers, so they share one per-account failure counter and one session flow.
 */
export function sessionHandlers (app: FastifyInstance, config: Config) {
  const cookie = refreshCookie(config)
  const throttle = loginThrottle(app, config)

  function sendTokens (reply: FastifyReply, user: AuthUser, refresh: IssuedRefreshToken): TokenResult {
    reply.setCookie(cookie.name, refresh.token, { ...cookie.options, expires: refresh.expiresAt })
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache')
    return { access_token: app.signAccessToken(user), token_type: 'bearer' as const, expires_in: config.ACCESS_TOKEN_EXPIRE_MINUTES * 60 }
  }

  async function login (request: FastifyRequest, reply: FastifyReply): Promise<TokenResult> {
    const body = request.body as LoginBody
    const attempt = await throttle.begin(request)
    let user: AuthUser
    try {
      user = await checkCredentials(app.db, 'email' in body ? body.email : body.username, body.password)
    } catch (error) {
      if (error instanceof HttpProblem && error.statusCode === 401) {
        await attempt.failed()
        publishLogin({ outcome: 'failure' })
      }
      throw error
    }
    publishLogin({ outcome: 'success' })
    const tokens = sendTokens(reply, user, await startSession(app.db, config, user.id))
    // After the refresh cookie, which clients and tests expect first in Set-Cookie.
    attempt.succeeded(reply)
    return tokens
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
