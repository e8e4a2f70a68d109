import fp from 'fastify-plugin'
import { createSigner, createVerifier } from 'fast-jwt'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, preHandlerHookHandler } from 'fastify'
import type { Config } from '../config.js'
import { HttpProblem } from '../errors.js'

export const ROLES = ['viewer', 'admin', 'owner'] as const
export type Role = typeof ROLES[number]

/** Claims of an access token: sub (user id), cid (company), role, token_use, plus iss/aud/iat/exp/jti set at signing. */
export type AccessClaims = { sub: string, cid: number, role: Role, token_use: string }
export type AuthUser = { id: number, companyId: number, role: Role }

export const TOKEN_ISSUER = 'campaign-analytics-api'
export const TOKEN_AUDIENCE = 'campaign-analytics'

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by authenticate/requireRole (routes without them never read it). */
    user: AuthUser
  }
  interface FastifyInstance {
    /** onRequest or preHandler hook: a valid access token is required; sets request.user. */
    authenticate: preHandlerHookHandler
    /** onRequest or preHandler hook: a valid access token with at least this role (viewer < admin < owner). */
    requireRole: (role: Role) => preHandlerHookHandler
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

const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/i

/**
 * Access tokens with fast-jwt, the library @fastify/jwt wraps: HS256 pinned on sign and verify;
 * issuer, audience, expiry and every claim required. Used directly because the wrapper merged its
 * options, decoded the token and looked its secret up again on every request, a measured share of
 * a list request's CPU (BENCHMARKS.md, API run 8).
 */
async function authenticationPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const sign = createSigner({ key: config.secretKey, algorithm: 'HS256', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, expiresIn: config.ACCESS_TOKEN_EXPIRE_MINUTES * 60_000 })
  const verify = createVerifier({
    key: config.secretKey,
    algorithms: ['HS256'],
    allowedIss: TOKEN_ISSUER,
    allowedAud: TOKEN_AUDIENCE,
    requiredClaims: ['sub', 'cid', 'role', 'iss', 'aud', 'iat', 'exp', 'jti', 'token_use'],
    // A client sends the same token on every request until it expires: fast-jwt keeps verified
    // tokens (LRU of 1000, keyed by a hash of the token) and never past their exp, so a hit
    // answers what a full verification would, without the signature check and claim parsing.
    cache: true
  })

  app.decorateRequest('user', null as unknown as AuthUser)
  app.decorate('signAccessToken', (user: AuthUser) =>
    sign({ sub: String(user.id), cid: user.companyId, role: user.role, token_use: 'access', jti: randomUUID() }))

  /** The caller of a valid access token, or a 401 problem. */
  function caller (request: FastifyRequest): AuthUser {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1]
    if (token === undefined) throw unauthorized()
    let claims: AccessClaims
    try {
      claims = verify(token)
    } catch {
      throw unauthorized()
    }
    const user = { id: Number(claims.sub), companyId: Number(claims.cid), role: claims.role }
    if (claims.token_use !== 'access' || !ROLES.includes(user.role) || !Number.isSafeInteger(user.id) || !Number.isSafeInteger(user.companyId)) throw unauthorized()
    return user
  }

  // Synchronous (done-style) hooks: every authenticated request runs one, and an async hook costs a promise and a microtask.
  function authenticate (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) {
    try {
      request.user = caller(request)
    } catch (error) {
      return done(error as Error)
    }
    done()
  }
  app.decorate('authenticate', authenticate)
  app.decorate('requireRole', (minimum: Role) => function requireRole (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    authenticate(request, reply, (error) => {
      if (error) return done(error)
      if (!roleAtLeast(request.user.role, minimum)) return done(new HttpProblem(403, `This action needs the ${minimum} role or higher; yours is ${request.user.role}.`))
      done()
    })
  })
}

export default fp(authenticationPlugin, { name: 'authentication', fastify: '5.x' })
