import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../db/schema.js'

type Db = Kysely<Database> | Transaction<Database>

/** The PostgreSQL channel every instance LISTENs on; a payload is `<user id>:<not-before, ms since the epoch>`. */
export const REVOCATION_CHANNEL = 'access_token_revocations'

/** The user's access tokens issued at or before `at` (ms, this instance's clock, as the tokens' iat_ms) are refused. */
export type Revocation = { userId: number, at: number }

/**
 * What each instance keeps in memory: per user, the latest not-before of the last access-token
 * lifetime (older ones refuse only tokens that have expired anyway). The authenticate hook reads it
 * on every request: one Map lookup.
 */
export class RevocationList {
  private readonly notBefore = new Map<number, number>()

  constructor (private readonly lifetimeMs: number) {}

  apply ({ userId, at }: Revocation): void {
    if (at > (this.notBefore.get(userId) ?? -Infinity)) this.notBefore.set(userId, at)
  }

  /** Whether a token of this user issued at `issuedAtMs` was revoked. */
  revokes (userId: number, issuedAtMs: number): boolean {
    const at = this.notBefore.get(userId)
    return at !== undefined && issuedAtMs <= at
  }

  /** Forgets revocations older than a token's lifetime: every token they refuse has expired. */
  prune (now = Date.now()): void {
    for (const [userId, at] of this.notBefore) if (at < now - this.lifetimeMs) this.notBefore.delete(userId)
  }

  get size (): number {
    return this.notBefore.size
  }
}

export const encodeRevocation = ({ userId, at }: Revocation): string => `${userId}:${at}`

export function decodeRevocation (payload: string | undefined): Revocation | undefined {
  const match = /^(\d{1,15}):(\d{1,15})$/.exec(payload ?? '')
  return match ? { userId: Number(match[1]), at: Number(match[2]) } : undefined
}

/**
 * In the transaction that ends the user's sessions: their access tokens issued until now are
 * refused. NOTIFY is delivered to the other instances when the transaction commits, and not at all
 * if it rolls back; the caller applies the revocation to this instance after the commit (announce).
 */
export async function revokeAccessTokens (trx: Db, userId: number, at = Date.now()): Promise<Revocation> {
  const revocation = { userId, at }
  await trx.updateTable('users')
    .set({ tokens_valid_after: sql<Date>`greatest(tokens_valid_after, ${new Date(at)}::timestamptz)` })
    .where('id', '=', userId).execute()
  await sql`select pg_notify(${REVOCATION_CHANNEL}, ${encodeRevocation(revocation)})`.execute(trx)
  return revocation
}

/** The revocations still in force: what an instance loads when it starts, or after its LISTEN connection was lost. */
export async function recentRevocations (db: Db, lifetimeMs: number): Promise<Revocation[]> {
  const rows = await db.selectFrom('users').select(['id', 'tokens_valid_after'])
    .where('tokens_valid_after', '>', sql<Date>`now() - make_interval(secs => ${lifetimeMs / 1000})`)
    .execute()
  return rows.map((row) => ({ userId: row.id, at: new Date(row.tokens_valid_after as Date).getTime() }))
}

// One list per database handle, registered by the token-revocation plugin: the services that end
// sessions hold the handle, not the app, and apply what they committed to this instance at once
// (another instance learns it through NOTIFY, within milliseconds).
const lists = new WeakMap<Kysely<Database>, RevocationList>()

export function registerRevocationList (db: Kysely<Database>, list: RevocationList): void {
  lists.set(db, list)
}

/** After the commit: this instance refuses the tokens at once, before the response that said so. */
export function announce (db: Kysely<Database>, revocation: Revocation | undefined): void {
  if (revocation) lists.get(db)?.apply(revocation)
}
