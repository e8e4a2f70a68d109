import fp from 'fastify-plugin'
import jwt from '@fastify/jwt'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, preHandlerHookHandler } from 'fastify'
import type { Config } from '../config.js'
import { HttpProblem } from '../errors.js'
import tokenRevocation from './token-revocation.js'

export const ROLES = ['viewer', 'admin', 'owner'] as const
export type Role = typeof ROLES[number]

/**
 * Claims of an access token: sub (user id), cid (company), role, token_use, plus iss/aud/iat/exp/jti set at signing.
 * iat_ms: when it was signed, in milliseconds (iat has seconds), so a revocation refuses exactly the tokens
 * issued before it, and one issued in the same second after it (a login after a password change) works.
 */
export type AccessClaims = { sub: string, cid: number, role: Role, token_use: string, jti: string, iat_ms?: number, iat?: number }
export type AuthUser = { id: number, companyId: number, role: Role }

export const TOKEN_ISSUER = 'campaign-analytics-api'
export const TOKEN_AUDIENCE = 'campaign-analytics'

declare module '@fastify/jwt' {
  interface FastifyJWT {
    /** What signAccessToken signs (iss, aud, iat and exp are added from the sign options). */
    payload: AccessClaims
    /** request.user, set by authenticate/requireRole (routes without them never read it). */
    user: AuthUser
  }
}

declare module 'fastify' {
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

/** The caller of verified claims, if they are an access token's; what signature, issuer, audience and expiry checks say nothing about. */
function callerOf (claims: AccessClaims): AuthUser | undefined {
  const user = { id: Number(claims.sub), companyId: Number(claims.cid), role: claims.role }
  const acceptable = claims.token_use === 'access' && ROLES.includes(user.role) && Number.isSafeInteger(user.id) && Number.isSafeInteger(user.companyId)
  return acceptable ? user : undefined
}

/**
 * Access tokens through @fastify/jwt (fast-jwt underneath): HS256 pinned on sign and verify;
 * issuer, audience, expiry and every claim required by the verifier the plugin builds at
 * registration from the `verify` options (fast-jwt's, passed through).
 */
async function authenticationPlugin (app: FastifyInstance, { config }: { config: Config }) {
  await app.register(jwt, {
    secret: config.secretKey,
    // @fastify/jwt reads a numeric expiresIn as seconds.
    sign: { algorithm: 'HS256', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, expiresIn: config.ACCESS_TOKEN_EXPIRE_MINUTES * 60 },
    verify: {
      algorithms: ['HS256'],
      allowedIss: TOKEN_ISSUER,
      allowedAud: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'cid', 'role', 'iss', 'aud', 'iat', 'exp', 'jti', 'token_use'],
      // A client sends the same token on every request until it expires: fast-jwt keeps verified
      // tokens (LRU of 1000, keyed by a hash of the token) and never past their exp, so a hit
      // answers what a full verification would, without the signature check and claim parsing.
      cache: true
    }
  })
  // Logout, password change and deactivation refuse the user's earlier access tokens on every instance.
  await app.register(tokenRevocation, { config })
  const revocations = app.tokenRevocations

  app.decorate('signAccessToken', (user: AuthUser) =>
    app.jwt.sign({ sub: String(user.id), cid: user.companyId, role: user.role, token_use: 'access', jti: randomUUID(), iat_ms: Date.now() }))

  /**
   * The caller of the request's access token, or a 401 problem (the same whatever was wrong: a
   * caller learns nothing about why a token was refused). app.jwt.lookupToken and app.jwt.verify
   * (README, "API Spec") run the verifier built at registration. Not request.jwtVerify(): it also
   * decodes the token before verifying it, and runs a promise and a callback waterfall, about
   * 30 µs of CPU per request together with the async hook it needs (BENCHMARKS.md,
   * "@fastify/jwt and @fastify/helmet"), a tenth of a list request.
   */
  function caller (request: FastifyRequest): AuthUser {
    let claims: AccessClaims
    try {
      claims = app.jwt.verify<AccessClaims>(app.jwt.lookupToken(request))
    } catch {
      throw unauthorized()
    }
    const user = callerOf(claims)
    // A token without iat_ms (signed before it existed) counts from the start of its second: a
    // revocation in that second refuses it.
    if (user === undefined || revocations.revokes(user.id, claims.iat_ms ?? Number(claims.iat) * 1000)) throw unauthorized()
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
