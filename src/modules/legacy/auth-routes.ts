import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { CreateUserBody, RegisterBody, type CreateUserInput } from '../../../schemas/auth.js'
import { BEARER_SECURITY as security, NO_SECURITY as open, problemResponses } from '../../../schemas/common.js'
import { LegacyLogout, LegacyToken, LegacyUser } from '../../../schemas/legacy.js'
import { USER_CREATION_LIMIT, perAccountLimit } from '../auth/account-limits.js'
import { csrfGuard } from '../auth/csrf.js'
import * as service from '../auth/service.js'
import type { SessionHandlers } from '../auth/session-handlers.js'
import { LoginBodies, normaliseLoginBody } from '../auth/token-routes.js'
import { normaliseEmailField } from '../auth/user-routes.js'
import { serveAsLegacy } from './deprecation.js'

/**
 * The old service's account routes (v1), for its dashboard and scripts: the same handlers and
 * services as /v2/auth, with the old shapes. Registered inside the auth module, so they share its
 * cookie and form parsers and its login failure counter.
 */
export default async function legacyAuthRoutes (fastify: FastifyInstance, { config, handlers }: { config: Config, handlers: SessionHandlers }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  serveAsLegacy(app, { sunset: config.LEGACY_SUNSET })
  const perIp = { rateLimit: { max: config.LOGIN_RATE_LIMIT_PER_IP, timeWindow: 60_000 } }
  const guard = csrfGuard(config.frontendOrigins)
  // The same action key as POST /v2/auth/users: with Redis the two share one count per owner.
  const userCreations = perAccountLimit(app, 'user-creation', USER_CREATION_LIMIT, 'users added')

  app.post('/auth/register', {
    config: { ...perIp, successor: '/v2/auth/register' },
    preValidation: normaliseEmailField,
    schema: { summary: 'Create a company and its owner (a taken email or company name is a 409)', security: open, body: RegisterBody, response: { 201: LegacyUser, ...problemResponses(409) } }
  }, async (request, reply) => reply.code(201).send(await service.register(app.db, request.body)))

  app.post('/auth/token', {
    config: { ...perIp, successor: '/v2/auth/token' },
    preValidation: normaliseLoginBody,
    schema: { summary: 'Log in (the form the old dashboard posts, or JSON)', security: open, body: LoginBodies, response: { 200: LegacyToken, ...problemResponses(401) } }
  }, handlers.login)

  app.get('/auth/me', {
    config: { successor: '/v2/auth/me' },
    onRequest: app.authenticate,
    schema: { summary: 'The current user', security, response: { 200: LegacyUser, ...problemResponses(401) } }
  }, async (request) => service.currentUser(app.db, request.user))

  app.post('/auth/refresh', {
    config: { ...perIp, successor: '/v2/auth/refresh' },
    onRequest: guard,
    schema: { summary: 'Rotate the refresh cookie and get a new access token', security: open, response: { 200: LegacyToken, ...problemResponses(401, 403) } }
  }, handlers.refresh)

  app.post('/auth/logout', {
    config: { successor: '/v2/auth/logout' },
    onRequest: guard,
    schema: { summary: 'End the cookie\'s session and clear the cookie', security: open, response: { 200: LegacyLogout, ...problemResponses(403) } }
  }, async (request, reply) => {
    await handlers.logout(request, reply)
    return { ok: true as const }
  })

  app.post('/auth/create_user', {
    config: { successor: '/v2/auth/users' },
    onRequest: app.requireRole('owner'),
    preValidation: normaliseEmailField,
    preHandler: userCreations,
    schema: { summary: 'Add a viewer or admin to your company (owner only); another role is a 400', security, body: CreateUserBody, response: { 201: LegacyUser, ...problemResponses(401, 403, 409) } }
  }, async (request, reply) => reply.code(201).send(await service.createUser(app.db, request.user, request.body as CreateUserInput)))
}
