import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { ChangePasswordBody, CreateUserBody, type CreateUserInput, RegisterBody, UpdateUserBody, User, UserList, UserParams } from '../../../schemas/auth.js'
import { BEARER_SECURITY as bearer, NO_SECURITY, NoContent, problemResponses } from '../../../schemas/common.js'
import { refreshCookie } from './cookie.js'
import * as service from './service.js'
import { PASSWORD_CHANGE_LIMIT, USER_CREATION_LIMIT, perAccountLimit } from './account-limits.js'

export async function normaliseEmailField (request: FastifyRequest) {
  const body = request.body as Record<string, unknown> | undefined
  if (typeof body?.email === 'string') body.email = service.normaliseEmail(body.email)
}

export default async function userRoutes (fastify: FastifyInstance, { config }: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const cookie = refreshCookie(config)
  const passwordChanges = perAccountLimit(app, 'password-change', PASSWORD_CHANGE_LIMIT, 'password change attempts')
  const userCreations = perAccountLimit(app, 'user-creation', USER_CREATION_LIMIT, 'users added')

  app.post('/auth/register', {
    config: { rateLimit: { max: config.LOGIN_RATE_LIMIT_PER_IP, timeWindow: 60_000 } },
    preValidation: normaliseEmailField,
    schema: {
      tags: ['auth'],
      security: NO_SECURITY,
      summary: 'Create a company and its owner',
      description: 'The company is named after the email when company_name is omitted. A taken email or company name answers 409.',
      body: RegisterBody,
      response: { 201: { ...User, description: 'The new owner, in the new company' }, ...problemResponses(409) }
    }
  }, async (request, reply) => reply.code(201).send(await service.register(app.db, request.body)))

  app.get('/auth/me', {
    onRequest: app.authenticate,
    schema: { tags: ['auth'], summary: 'The current user', security: bearer, response: { 200: { ...User, description: 'The user the access token belongs to' }, ...problemResponses(401) } }
  }, async (request) => service.currentUser(app.db, request.user))

  app.get('/auth/users', {
    onRequest: app.requireRole('admin'),
    schema: { tags: ['auth'], summary: 'Users of your company (admin or owner)', security: bearer, response: { 200: { ...UserList, description: 'Every user of your company' }, ...problemResponses(401, 403) } }
  }, async (request) => ({ items: await service.listUsers(app.db, request.user.companyId) }))

  app.post('/auth/users', {
    onRequest: app.requireRole('owner'),
    preValidation: normaliseEmailField,
    preHandler: userCreations,
    schema: {
      tags: ['auth'],
      summary: 'Add a viewer or admin to your company (owner only)',
      security: bearer,
      body: CreateUserBody,
      response: { 201: { ...User, description: 'The new user' }, ...problemResponses(401, 403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(await service.createUser(app.db, request.user, request.body as CreateUserInput)))

  app.patch('/auth/users/:id', {
    onRequest: app.requireRole('owner'),
    schema: {
      tags: ['auth'],
      summary: 'Deactivate or reactivate a user of your company (owner only)',
      description: 'Deactivation revokes all the user\'s refresh tokens, and its access tokens are refused within seconds on every instance.',
      security: bearer,
      params: UserParams,
      body: UpdateUserBody,
      response: { 200: { ...User, description: 'The user as changed' }, ...problemResponses(401, 403, 404, 409) }
    }
  }, async (request) => service.setActive(app.db, request.user, Number(request.params.id), request.body.is_active))

  app.post('/auth/password', {
    onRequest: app.authenticate,
    // Counted per account before the current password is verified: a stolen access token buys 10 guesses per 15 minutes.
    preHandler: passwordChanges,
    schema: {
      tags: ['auth'],
      summary: 'Change your password; every session ends',
      security: bearer,
      body: ChangePasswordBody,
      response: { 204: NoContent, ...problemResponses(401, 403, 409) }
    }
  }, async (request, reply) => {
    await service.changePassword(app.db, request.user, request.body.current_password, request.body.new_password)
    reply.clearCookie(cookie.name, cookie.options)
    return reply.code(204).send(null)
  })
}
