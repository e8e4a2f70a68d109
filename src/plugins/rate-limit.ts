import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import { Redis } from 'ioredis'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { HttpProblem } from '../errors.js'
import { publishRateLimited } from '../modules/auth/events.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The Redis client behind the limiter store, when REDIS_URL is set (shared by every instance). */
    redis?: Redis
  }
}

/**
 * @fastify/rate-limit with no global limit: routes opt in with `config.rateLimit`, and the auth
 * module builds its per-account counter with `app.createRateLimit`. The store is memory by
 * default and Redis when REDIS_URL is set, so several instances share their counts.
 */
async function rateLimitPlugin (app: FastifyInstance, { config }: { config: Config }) {
  let redis: Redis | undefined
  if (config.REDIS_URL) {
    // Few retries and a short timeout: a Redis outage must not hold requests for long.
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true })
    redis.on('error', (error) => app.log.warn({ err: error }, 'rate-limit store (Redis) error'))
    await redis.connect()
    app.decorate('redis', redis)
    app.addHook('onClose', async () => { await redis?.quit() })
  }
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: `${config.REDIS_KEY_PREFIX}rate-limit:` } : {}),
    // Availability over strictness when the store fails: argon2's cost still slows guessing.
    skipOnError: true,
    onExceeded: (request) => publishRateLimited({ route: request.routeOptions.url ?? request.url, scope: 'ip' }),
    // Thrown, so the central handler answers a problem document; Retry-After is already set.
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(context.statusCode, `Too many requests: retry in ${context.after}.`)
  })
}

export default fp(rateLimitPlugin, { name: 'rate-limit', fastify: '5.x' })
