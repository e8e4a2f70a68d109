import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Config } from '../config.js'
import { HttpProblem } from '../errors.js'

export const ROLES = ['viewer', 'admin', 'owner'] as const
export type Role = typeof ROLES[number]

/** Claims of an access token: sub (user id), cid (company), role, token_use, plus iss/aud/iat/exp/jti set at signing. */
export type AccessClaims = { sub: string, cid: number, role: Role, token_use: 'access' }
export type AuthUser = { id: number, companyId: number, role: Role }

export const TOKEN_ISSUER = 'campaign-analytics-api'
export const TOKEN_AUDIENCE = 'campaign-analytics'

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims
    user: AuthUser
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler: a valid access token is required; sets request.user. */
    authenticate: preHandlerAsyncHookHandler
    /** preHandler: a valid access token with at least this role (viewer < admin < owner). */
    requireRole: (role: Role) => preHandlerAsyncHookHandler
    /** Signs an access token for a user. */
    signAccessToken: (user: AuthUser) => string
  }
}

export function roleAtLeast (role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum)
}

const unauthorized = () => new HttpProblem(401, 'A valid access token is required: log in at POST /auth/token and send it as "Authorization: Bearer <token>".', {
  headers: { 'www-authenticate': 'Bearer realm="campaign-analytics"' }
})

/** Access tokens: HS256 pinned on sign and verify; issuer, audience, expiry and every claim required. */
async function authenticationPlugin (app: FastifyInstance, { config }: { config: Config }) {
  await app.register(jwt, {
    secret: config.secretKey,
    sign: { algorithm: 'HS256', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, expiresIn: `${config.ACCESS_TOKEN_EXPIRE_MINUTES}m` },
    verify: {
      algorithms: ['HS256'],
      allowedIss: TOKEN_ISSUER,
      allowedAud: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'cid', 'role', 'iss', 'aud', 'iat', 'exp', 'jti', 'token_use'],
      // A client sends the same token on every request until it expires: fast-jwt keeps verified
      // tokens (LRU of 1000, keyed by a hash of the token) and never past their exp, so a hit
      // answers what a full verification would, without the signature check and claim parsing.
      cache: true
    },
    // request.jwtVerify() resolves to this, not to the claims: a token that is not an access token
    // maps to an impossible id, which authenticate() refuses.
    formatUser: (claims) => ({ id: claims.token_use === 'access' ? Number(claims.sub) : Number.NaN, companyId: Number(claims.cid), role: claims.role })
  })

  app.decorate('signAccessToken', (user: AuthUser) =>
    app.jwt.sign({ sub: String(user.id), cid: user.companyId, role: user.role, token_use: 'access' }, { jti: randomUUID() }))

  async function authenticate (request: FastifyRequest) {
    try {
      const user = await request.jwtVerify<AuthUser>()
      if (!ROLES.includes(user.role) || !Number.isSafeInteger(user.id) || !Number.isSafeInteger(user.companyId)) throw unauthorized()
    } catch {
      throw unauthorized()
    }
  }
  app.decorate('authenticate', authenticate)
  app.decorate('requireRole', (minimum: Role) => async function requireRole (request: FastifyRequest) {
    await authenticate(request)
    if (!roleAtLeast(request.user.role, minimum)) throw new HttpProblem(403, `This action needs the ${minimum} role or higher; yours is ${request.user.role}.`)
  })
}

export default fp(authenticationPlugin, { name: 'authentication', fastify: '5.x' })
