import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Config } from '../../config.js'
import type { Database } from '../../db/schema.js'
import type { AuthUser } from '../../plugins/authentication.js'
import { HttpProblem } from '../../errors.js'
import { publishRefreshReuse } from './events.js'
import * as tokens from './refresh-repository.js'
import { announce, revokeAccessTokens } from './access-revocation.js'
import { lockUser } from './repository.js'
import { hashRefreshToken, looksLikeRefreshToken, newRefreshToken } from './tokens.js'

export type SessionSettings = Pick<Config, 'REFRESH_TOKEN_EXPIRE_DAYS' | 'REFRESH_FAMILY_MAX_DAYS' | 'REFRESH_REUSE_GRACE_SECONDS'>
export type IssuedRefreshToken = { token: string, expiresAt: Date }
export type RotatedSession = IssuedRefreshToken & { user: AuthUser }

const invalidRefresh = () => new HttpProblem(401, 'The refresh token is missing, expired or revoked: log in again at POST /auth/token.')

/** Starts a new family for a user who just logged in. */
export async function startSession (db: Kysely<Database>, settings: SessionSettings, userId: number): Promise<IssuedRefreshToken> {
  const token = newRefreshToken()
  const row = await tokens.insertFirstToken(db, {
    userId,
    tokenHash: hashRefreshToken(token),
    familyId: randomUUID(),
    idleDays: settings.REFRESH_TOKEN_EXPIRE_DAYS,
    familyDays: settings.REFRESH_FAMILY_MAX_DAYS
  })
  return { token, expiresAt: new Date(row.expires_at) }
}

/**
 * Rotation (RFC 9700 §4.14.2): the presented token is claimed atomically and replaced by a child.
 * A token that exists but was already used is a replay, and the whole family is revoked, unless
 * it was rotated less than REFRESH_REUSE_GRACE_SECONDS ago: that is a second tab refreshing with
 * the same cookie at the same time, and it gets a sibling (another child of the same token, in
 * the same family), so both tabs keep a working session. The plaintext of the first child is
 * never stored, so it cannot be handed out again; a sibling is as good, and revoking the family
 * still ends both. After the window a replay revokes the family as before.
 */
export async function rotateSession (db: Kysely<Database>, settings: SessionSettings, presented: unknown): Promise<RotatedSession> {
  if (!looksLikeRefreshToken(presented)) throw invalidRefresh()
  const tokenHash = hashRefreshToken(presented)
  const outcome = await db.transaction().execute(async (trx) => {
    const known = await tokens.findToken(trx, tokenHash)
    if (!known) return { kind: 'invalid' } as const
    // Shared: rotations of a user's other sessions go on; revocations wait for this one (lockUser).
    const user = await lockUser(trx, known.user_id, 'share')
    // Claimed here, or by a request running alongside with the same token (then it is used now).
    const parent = (isReplay(known) ? undefined : await tokens.claimToken(trx, tokenHash)) ??
      await tokens.lockGraceParent(trx, tokenHash, settings.REFRESH_REUSE_GRACE_SECONDS)
    if (!parent) {
      const now = isReplay(known) ? known : await tokens.findToken(trx, tokenHash)
      return now && isReplay(now) ? { kind: 'reuse', token: now } as const : { kind: 'invalid' } as const
    }
    if (!user?.is_active) {
      await tokens.revokeFamily(trx, parent.family_id)
      return { kind: 'invalid' } as const
    }
    const token = newRefreshToken()
    const child = await tokens.insertChildToken(trx, parent, hashRefreshToken(token), settings.REFRESH_TOKEN_EXPIRE_DAYS)
    return { kind: 'rotated', session: { token, expiresAt: new Date(child.expires_at), user: { id: user.id, companyId: user.company_id, role: user.role } } } as const
  })
  if (outcome.kind === 'reuse') {
    // After the transaction above: its shared lock would make this one wait for itself.
    await revokeSession(db, outcome.token)
    publishRefreshReuse({ userId: outcome.token.user_id, familyId: outcome.token.family_id })
    throw invalidRefresh()
  }
  if (outcome.kind === 'invalid') throw invalidRefresh()
  return outcome.session
}

/** A token already used for a rotation, presented again (RFC 9700: its family is compromised). */
const isReplay = (token: tokens.RefreshTokenRow) => token.used_at !== null && token.revoked_at === null

/**
 * Ends a token's family, with the user locked: a rotation in flight finishes first, so the
 * revocation (a new statement, a new snapshot) also ends the token it issued.
 */
async function revokeSession (db: Kysely<Database>, token: Pick<tokens.RefreshTokenRow, 'user_id' | 'family_id'>): Promise<void> {
  const revocation = await db.transaction().execute(async (trx) => {
    await lockUser(trx, token.user_id, 'update')
    await tokens.revokeFamily(trx, token.family_id)
    // Access tokens name no session: the user's are all refused, and their other sessions'
    // clients get new ones with one refresh (their refresh tokens are untouched).
    return revokeAccessTokens(trx, token.user_id)
  })
  announce(db, revocation)
}

/** Logout: revokes the presented token's family, if the token is known at all. */
export async function endSession (db: Kysely<Database>, presented: unknown): Promise<void> {
  if (!looksLikeRefreshToken(presented)) return
  const known = await tokens.findToken(db, hashRefreshToken(presented))
  if (known) await revokeSession(db, known)
}
