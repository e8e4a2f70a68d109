import fp from 'fastify-plugin'
import fastifyHelmet from '@fastify/helmet'
import helmet from 'helmet'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'

/** Security headers and the request id on every response; CORS for the dashboard's exact origins (with credentials for the refresh cookie). */
async function securityPlugin (app: FastifyInstance, { config }: { config: Config }) {
  // One object for both: @fastify/helmet's types are helmet's CommonJS declarations, this file imports its ESM ones.
  const options = {
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
    crossOriginResourcePolicy: { policy: 'same-site' as const }
  }
  // Registered with these options, so reply.helmet() and a route's own `helmet` option (which
  // @fastify/helmet merges over them) work as its README says. Not global: its global onRequest
  // hook calls helmet(options) for every request, building helmet's twelve middlewares again each
  // time, about 30 µs of CPU per request (BENCHMARKS.md, "@fastify/jwt and @fastify/helmet").
  await app.register(fastifyHelmet, { ...options, global: false })
  // What that hook does, with the middleware built once: the options are fixed at start-up (no
  // nonces), so every request gets the same headers. Remove once the plugin caches its middleware.
  const securityHeaders = helmet(options)
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    // helmet 8 throws rather than passing an error on; its callback always comes without one.
    securityHeaders(request.raw, reply.raw, () => done())
  })
  const allowed = new Set(config.frontendOrigins)
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    // X-Request-Id: the dashboard may send its own, to join its logs with ours (app.ts keeps a sane one).
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Requested-With', 'If-None-Match', 'X-Request-Id'],
    exposedHeaders: ['Link', 'ETag', 'Retry-After', 'X-Request-Id', 'Deprecation', 'Sunset'],
    maxAge: 600,
    // An OPTIONS without Access-Control-Request-Method got a text/plain 400, the one 4xx that was
    // not a problem document; answered as a preflight instead (nothing is read or written).
    strictPreflight: false
  })
}

export default fp(securityPlugin, { name: 'security', fastify: '5.x' })
