import fp from 'fastify-plugin'
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet, { type HelmetOptions } from 'helmet'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'

/**
 * helmet's response headers for a configuration. They depend on the configuration only (no
 * nonces, nothing read from the request), so helmet runs once, against a recorder; every response
 * then gets the same headers without running its twelve middlewares per request (~20 µs each
 * time in a profile of the list).
 */
function securityHeaders (options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string) => { headers[name.toLowerCase()] = value },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()] }
  }
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => { if (error) throw error })
  return headers
}

/** Security headers and the request id on every response; CORS for the dashboard's exact origins (with credentials for the refresh cookie). */
async function securityPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const headers = securityHeaders({
    // The Swagger UI at /docs loads its own inline scripts and styles; the API itself serves only JSON.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        frameAncestors: ["'none'"],
        // Helmet's default; outside production /docs is served over plain HTTP (on a LAN address
        // too), where it would send the page's own scripts to an https:// that does not answer.
        upgradeInsecureRequests: config.isProduction ? [] : null
      }
    },
    strictTransportSecurity: config.isProduction ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginResourcePolicy: { policy: 'same-site' }
  })
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers).header('x-request-id', request.id)
    done()
  })
  const allowed = new Set(config.frontendOrigins)
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    // X-Request-Id: the dashboard may send its own, to join its logs with ours (app.ts keeps a sane one).
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Requested-With', 'If-None-Match', 'X-Request-Id'],
    exposedHeaders: ['Link', 'ETag', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
    // An OPTIONS without Access-Control-Request-Method got a text/plain 400, the one 4xx that was
    // not a problem document; answered as a preflight instead (nothing is read or written).
    strictPreflight: false
  })
}

export default fp(securityPlugin, { name: 'security', fastify: '5.x' })
