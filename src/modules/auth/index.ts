import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import { problemResponses } from '../../../schemas/common.js'
import { LOGIN_CSRF_ROUTES, loginOriginGuard } from './csrf.js'
import legacyAuthRoutes from '../legacy/auth-routes.js'
import { configureArgon2Queue } from './argon2-queue.js'
import { prepareDummyHash } from './passwords.js'
import { sessionHandlers } from './session-handlers.js'
import tokenRoutes from './token-routes.js'
import userRoutes from './user-routes.js'

/**
 * The auth module, encapsulated: the cookie and form parsers registered here serve only these
 * routes, so no other endpoint accepts a form post or reads a cookie. Today's routes live under
 * /v2/auth; the old service's (v1) at /auth, on the same session handlers.
 */
export default async function authModule (app: FastifyInstance, { config }: { config: Config }) {
  configureArgon2Queue(config)
  await prepareDummyHash()
  await app.register(cookie)
  await app.register(formbody)
  // Before the routes, so it reaches both versions' login and registration (v2 here, v1 in legacy/).
  const loginCsrf = loginOriginGuard(config.frontendOrigins)
  app.addHook('onRoute', (route) => {
    if (route.method !== 'POST' || !LOGIN_CSRF_ROUTES.test(route.url)) return
    route.onRequest = [loginCsrf, ...[route.onRequest ?? []].flat()]
    const response = (route.schema as { response?: Record<string, unknown> } | undefined)?.response
    if (response && !('403' in response)) Object.assign(response, problemResponses(403))
  })
  const handlers = sessionHandlers(app, config)
  await app.register(async function v2 (api) {
    await api.register(tokenRoutes, { config, handlers })
    await api.register(userRoutes, { config })
  }, { prefix: '/v2' })
  await app.register(legacyAuthRoutes, { config, handlers })
}
