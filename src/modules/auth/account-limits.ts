import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HttpProblem } from '../../errors.js'
import { publishRateLimited } from './events.js'

/** Per account: the 11th password change attempt within 15 minutes is refused, before any argon2 work. */
export const PASSWORD_CHANGE_LIMIT = 10
/** Per owner: users added within 15 minutes (each costs an argon2 hash, and says whether an email exists). */
export const USER_CREATION_LIMIT = 30
export const ACCOUNT_LIMIT_WINDOW_MS = 15 * 60_000

/**
 * A preHandler counting every attempt of the authenticated caller (request.user) at one action, in
 * the rate-limit store (Redis when REDIS_URL is set, so instances share it). Attempts are counted
 * as they arrive rather than when they fail: a burst of concurrent guesses is cut at `max` before
 * any of them reaches argon2, instead of all passing a check that no failure has updated yet.
 */
export function perAccountLimit (app: FastifyInstance, action: string, max: number, what: string) {
  const limiter = app.createRateLimit({
    max,
    timeWindow: ACCOUNT_LIMIT_WINDOW_MS,
    keyGenerator: (request) => `${action}:${request.user.id}`
  })
  return async function limitPerAccount (request: FastifyRequest) {
    const result = await limiter(request)
    // isAllowed is true only for the allow list; isExceeded says this attempt is past `max`.
    if (result.isAllowed || !result.isExceeded) return
    publishRateLimited({ route: request.routeOptions.url ?? request.url, scope: 'account' })
    throw new HttpProblem(429, `Too many ${what} for this account (${max} per 15 minutes): retry in ${result.ttlInSeconds} s.`, { headers: { 'retry-after': String(result.ttlInSeconds) } })
  }
}
