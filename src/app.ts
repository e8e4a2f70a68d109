import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DestinationStream } from 'pino'
import type { Config } from './config.js'
import type { DatabaseConnection } from './db/engine.js'
import { loggerOptions } from './logger.js'
import { trustProxyOption } from './trust-proxy.js'
import errors from './plugins/errors.js'
import commonProblems from './plugins/common-problems.js'
import jsonBody from './plugins/json-body.js'
import closing from './plugins/closing.js'
import database from './plugins/database.js'
import security from './plugins/security.js'
import httpsOnly from './plugins/https-only.js'
import metrics from './plugins/metrics.js'
import docs from './plugins/docs.js'
import authentication from './plugins/authentication.js'
import rateLimit from './plugins/rate-limit.js'
import fairShare from './plugins/fair-share.js'
import healthRoutes from './modules/health/routes.js'
import authModule from './modules/auth/index.js'
import { sendProblem } from './plugins/errors.js'
import { schemaController } from './validators.js'
import campaignRoutes from './modules/campaigns/routes.js'
import analyticsRoutes from './modules/analytics/routes.js'
import importRoutes from './modules/imports/routes.js'
import legacyCampaignRoutes from './modules/legacy/campaign-routes.js'
import { importCampaignFiles } from './modules/imports/index.js'
import { ImportReportSchema } from '../schemas/imports.js'

export type BuildOptions = {
  /** An open database connection to use instead of connecting from config (tests). */
  connection?: DatabaseConnection
  /** Where log lines go instead of stdout (tests capture them). */
  logStream?: DestinationStream
}

const REQUEST_ID = /^[\w.:-]{1,64}$/
const MAX_PARAM_LENGTH = 500

/** Server options shared by production and tests, so tests exercise what production runs. */
export function serverOptions (config: Config, options: BuildOptions = {}): FastifyServerOptions {
  return {
    logger: loggerOptions(config, options.logStream),
    bodyLimit: config.BODY_LIMIT_BYTES,
    // A caller's X-Request-Id is kept when it is sane, so logs can be joined across services.
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    schemaController,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // The router rejects a malformed URL or an over-long path parameter before any hook or error
    // handler runs; without this Fastify answers its own JSON (a 414 no route declares), not a problem.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff')
      // No hook runs here, @fastify/cors's neither: the dashboard must still be able to read this problem.
      const origin = request.headers.origin
      if (origin !== undefined && config.frontendOrigins.includes(origin)) {
        reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true').header('vary', 'Origin')
      }
      const status = error.statusCode ?? 400
      sendProblem(request, reply, status, status === 414
        ? `A path segment is longer than ${MAX_PARAM_LENGTH} characters.`
        : 'The URL is malformed (check its percent-encoding).')
    },
    // Off: src/plugins/closing.ts answers the same 503 as a problem document.
    return503OnClosing: false,
    // Start-up may migrate (MIGRATE_ON_START, or the embedded database): a replica waiting on
    // another's migration lock, or PGlite initialising on a busy machine, takes longer than
    // Fastify's default 10 s per plugin, which would crash the start with AVV_ERR_PLUGIN_EXEC_TIMEOUT.
    pluginTimeout: 120_000,
    forceCloseConnections: 'idle',
    connectionTimeout: 60_000,
    requestTimeout: 120_000,
    keepAliveTimeout: 72_000
  }
}

/** Builds the whole application without listening: production's server.ts and every test call this. */
export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(config, options)).withTypeProvider<TypeBoxTypeProvider>()

  // Order matters: errors first so every later plugin's failures become problem documents (and
  // common-problems, so every route declares them); closing after security, so its 503 has the headers;
  // security (helmet) before https-only so a 426 still carries HSTS; metrics and docs before
  // routes, since both learn the routes in onRoute as they are added.
  await app.register(errors)
  await app.register(commonProblems)
  await app.register(jsonBody)
  await app.register(security, { config })
  await app.register(closing)
  await app.register(httpsOnly, { config })
  await app.register(database, { config, connection: options.connection })
  await app.register(metrics, { config })
  await app.register(docs)
  await app.register(authentication, { config })
  // Before the routes: it adds an onRoute hook that reads each route's config.rateLimit.
  await app.register(rateLimit, { config })
  await app.register(fairShare, { config })

  await app.register(healthRoutes, { timeoutMs: config.HEALTH_TIMEOUT_MS })
  await app.register(authModule, { config })
  await app.register(async function v2 (api) {
    await api.register(campaignRoutes, { secretKey: config.secretKey })
    await api.register(analyticsRoutes, { overviewCacheBytes: config.OVERVIEW_CACHE_MB * 1024 * 1024 })
    await api.register(importRoutes, { importFiles: importCampaignFiles, reportSchema: ImportReportSchema, uploadLimitBytes: config.UPLOAD_LIMIT_BYTES })
  }, { prefix: '/v2' })
  // The old service's contract (v1) at the root, for its dashboard and scripts; its account routes are in authModule.
  await app.register(legacyCampaignRoutes, { config })

  return app
}
