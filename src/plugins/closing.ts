import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { sendProblem } from './errors.js'

/**
 * While the app closes, a request still arriving on an open connection gets a 503 problem document
 * with `Connection: close` and Retry-After, instead of the plain JSON of Fastify's
 * return503OnClosing (turned off in serverOptions). Registered after the security headers, so the
 * refusal carries them too.
 */
async function closingPlugin (app: FastifyInstance) {
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  // Synchronous (done-style) like every hook each request passes: an async one costs a promise and a microtask.
  app.addHook('onRequest', (request, reply, done) => {
    if (!closing) return done()
    reply.header('connection', 'close').header('retry-after', '1')
    // The readiness probe declares its own 503 body: a closing instance is simply not ready.
    if (request.routeOptions.url === '/health') return reply.code(503).header('cache-control', 'no-store').send({ status: 'unhealthy' })
    sendProblem(request, reply, 503, 'The service is shutting down: retry, another instance (or this one restarted) will answer.')
  })
}

export default fp(closingPlugin, { name: 'closing', fastify: '5.x' })
