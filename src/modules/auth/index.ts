import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../../config.js'
import { prepareDummyHash } from './passwords.js'
import tokenRoutes from './token-routes.js'
import userRoutes from './user-routes.js'

/**
 * The auth module, encapsulated: the cookie and form parsers registered here serve only these
 * routes, so no other endpoint accepts a form post or reads a cookie.
 */
export default async function authModule (app: FastifyInstance, { config }: { config: Config }) {
  await prepareDummyHash()
  await app.register(cookie)
  await app.register(formbody)
  await app.register(tokenRoutes, { config })
  await app.register(userRoutes, { config })
}
