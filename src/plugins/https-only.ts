import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { HttpProblem } from '../errors.js'

/**
 * In production the service sits behind a TLS-terminating proxy. With TRUST_PROXY set, Fastify
 * reads X-Forwarded-Proto into request.protocol, and a request that reached the proxy over plain
 * HTTP is refused with 426 (every method: no redirect, because its target would have to be built
 * from Host/X-Forwarded-Host, and an API client should fix its base URL rather than follow one).
 * Health probes come from the platform on the private network, without the header: they pass.
 * HSTS itself is helmet's (src/plugins/security.ts), on every response in production.
 */
async function httpsOnlyPlugin (app: FastifyInstance, { config }: { config: Config }) {
  if (!config.isProduction) return
  if (!config.TRUST_PROXY) {
    app.log.warn('TRUST_PROXY is not set: the proxy\'s X-Forwarded-Proto cannot be trusted, so plain-HTTP requests are not refused here')
    return
  }
  app.addHook('onRequest', (request, reply, done) => {
    if (request.protocol === 'https' || request.url.startsWith('/health')) return done()
    reply.header('upgrade', 'TLS/1.2, HTTP/1.1').header('connection', 'Upgrade')
    done(new HttpProblem(426, 'This API is served over HTTPS only: use https:// in the base URL.'))
  })
}

export default fp(httpsOnlyPlugin, { name: 'https-only', fastify: '5.x', dependencies: ['errors'] })
