import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import { HttpProblem } from '../../errors.js'
import { accountKey, deviceCookie, issueDeviceCookie, trustedDevice } from './device-cookie.js'
import { publishLogin, publishRateLimited } from './events.js'
import { normaliseEmail } from './service.js'

/** Failed logins within the window that lock one account for one source address, or for one device cookie. */
export const LOGIN_FAILURE_LIMIT = 10
export const LOGIN_FAILURE_WINDOW_MS = 15 * 60_000

const loginEmail = (body: unknown): string => {
  const fields = (body ?? {}) as Partial<Record<'email' | 'username', string>>
  return normaliseEmail(fields.email ?? fields.username ?? '')
}

type Login = { account: string, device?: string }

export type LoginAttempt = {
  /** Counts a wrong password against the counters this attempt was checked with. */
  failed: () => Promise<void>
  /** Issues a fresh device cookie: this browser now logs in to this account as a known device. */
  succeeded: (reply: FastifyReply) => void
}

/**
 * Online guessing is throttled without letting an attacker lock the owner out (OWASP's device
 * cookie protocol, with account-and-address counting for untrusted clients):
 * - a browser with this account's device cookie is limited on its own: LOGIN_FAILURE_LIMIT
 *   failures lock that cookie, and nothing an attacker does elsewhere locks it;
 * - any other client is limited per account and source address together (LOGIN_FAILURE_LIMIT),
 *   and per account over every address (LOGIN_FAILURES_PER_ACCOUNT), which bounds a botnet's
 *   guessing; only the latter lockout reaches the owner, and only on a browser it never logged in with.
 * Successes do not count. The counters live in the rate-limit store (Redis when REDIS_URL is set).
 */
export function loginThrottle (app: FastifyInstance, config: Config) {
  const cookie = deviceCookie(config)
  const logins = new WeakMap<FastifyRequest, Login>()
  const loginOf = (request: FastifyRequest): Login => {
    let login = logins.get(request)
    if (!login) {
      const account = accountKey(loginEmail(request.body))
      login = { account, device: trustedDevice(config.secretKey, request.cookies[cookie.name], account) }
      logins.set(request, login)
    }
    return login
  }
  const window = { timeWindow: LOGIN_FAILURE_WINDOW_MS }
  const perDevice = app.createRateLimit({ ...window, max: LOGIN_FAILURE_LIMIT, keyGenerator: (r) => `login-failures:device:${loginOf(r).device}` })
  const perAccountAndSource = app.createRateLimit({ ...window, max: LOGIN_FAILURE_LIMIT, keyGenerator: (r) => `login-failures:${loginOf(r).account}:${r.ip}` })
  const perAccount = app.createRateLimit({ ...window, max: config.LOGIN_FAILURES_PER_ACCOUNT, keyGenerator: (r) => `login-failures:${loginOf(r).account}` })

  const lockedFor = async (request: FastifyRequest, limiter: typeof perDevice): Promise<number | undefined> => {
    const state = await limiter(request, { increment: false })
    return !state.isAllowed && state.remaining === 0 && state.ttl > 0 ? state.ttlInSeconds : undefined
  }

  /** Refuses (429) a login whose counters are exhausted; otherwise the attempt, to report its outcome on. */
  async function begin (request: FastifyRequest): Promise<LoginAttempt> {
    const { account, device } = loginOf(request)
    const limiters = device ? [perDevice] : [perAccountAndSource, perAccount]
    for (const limiter of limiters) {
      const retryAfter = await lockedFor(request, limiter)
      if (retryAfter === undefined) continue
      publishLogin({ outcome: 'locked' })
      publishRateLimited({ route: request.routeOptions.url ?? request.url, scope: 'account' })
      throw new HttpProblem(429, `Too many failed logins for this account${device ? ' from this browser' : ''}: retry in ${retryAfter} s.`, { headers: { 'retry-after': String(retryAfter) } })
    }
    return {
      failed: async () => { for (const limiter of limiters) await limiter(request) },
      succeeded: (reply) => { reply.setCookie(cookie.name, issueDeviceCookie(config.secretKey, account), cookie.options) }
    }
  }

  return { begin }
}
