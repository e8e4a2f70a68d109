import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Database, RefreshTokensTable } from '../../db/schema.js'

type Db = Kysely<Database> | Transaction<Database>
export type RefreshTokenRow = Selectable<RefreshTokensTable>

const days = (n: number) => sql<Date>`now() + make_interval(days => ${n})`

/** A new family: idle expiry from now, absolute family lifetime fixed here and never extended. */
export async function insertFirstToken (db: Db, values: { userId: number, tokenHash: string, familyId: string, idleDays: number, familyDays: number }): Promise<RefreshTokenRow> {
  return db.insertInto('refresh_tokens').values({
    user_id: values.userId,
    token_hash: values.tokenHash,
    family_id: values.familyId,
    expires_at: sql`least(${days(values.idleDays)}, ${days(values.familyDays)})`,
    family_expires_at: days(values.familyDays)
  }).returningAll().executeTakeFirstOrThrow()
}

/** The child of a rotated token: same family, same family deadline, idle expiry capped by it. */
export async function insertChildToken (db: Db, parent: RefreshTokenRow, tokenHash: string, idleDays: number): Promise<RefreshTokenRow> {
  return db.insertInto('refresh_tokens').values({
    user_id: parent.user_id,
    token_hash: tokenHash,
    family_id: parent.family_id,
    parent_id: parent.id,
    expires_at: sql`least(${days(idleDays)}, ${parent.family_expires_at})`,
    family_expires_at: parent.family_expires_at
  }).returningAll().executeTakeFirstOrThrow()
}

/**
 * Marks a live token used in one conditional UPDATE: of two concurrent refreshes with the same
 * token, PostgreSQL lets exactly one match `used_at IS NULL`; the other gets no row.
 */
export function claimToken (db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return db.updateTable('refresh_tokens')
    .set({ used_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .where('family_expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst()
}

/** A token rotated this often within the grace window is not another tab any more: past it, a replay. */
export const GRACE_CHILDREN_MAX = 4

/**
 * The presented token, locked, if it was rotated less than `seconds` ago (the database's clock),
 * its family is alive and it has fewer than GRACE_CHILDREN_MAX children: a second tab's refresh.
 */
export function lockGraceParent (db: Db, tokenHash: string, seconds: number): Promise<RefreshTokenRow | undefined> | undefined {
  if (seconds <= 0) return undefined
  return db.selectFrom('refresh_tokens as t').selectAll('t')
    .where('t.token_hash', '=', tokenHash)
    .where('t.used_at', '>', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .where('t.revoked_at', 'is', null)
    .where('t.family_expires_at', '>', sql<Date>`now()`)
    // Through the family's index: a family holds a few tokens.
    .where((eb) => eb(eb.selectFrom('refresh_tokens as c').select((c) => c.fn.countAll<number>().as('n')).whereRef('c.family_id', '=', 't.family_id').whereRef('c.parent_id', '=', 't.id'), '<', GRACE_CHILDREN_MAX))
    .forUpdate('t')
    .executeTakeFirst()
}

export function findToken (db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
}

export async function revokeFamily (db: Db, familyId: string): Promise<number> {
  const result = await db.updateTable('refresh_tokens').set({ revoked_at: sql`now()` })
    .where('family_id', '=', familyId).where('revoked_at', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Every session of a user ends: password change, deactivation. */
export async function revokeUserFamilies (db: Db, userId: number): Promise<number> {
  const result = await db.updateTable('refresh_tokens').set({ revoked_at: sql`now()` })
    .where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Families that are dead for more than `days`: every token expired, or the family was revoked, before the cutoff. */
function deadFamilies (db: Db, days: number) {
  const cutoff = sql<Date>`now() - make_interval(days => ${days})`
  return db.selectFrom('refresh_tokens').select('family_id').groupBy('family_id')
    .having((eb) => eb.or([
      eb(eb.fn.max('expires_at'), '<', cutoff),
      eb(sql<boolean>`bool_and(revoked_at is not null and revoked_at < ${cutoff})`, '=', true)
    ]))
}

export async function countDeadTokens (db: Db, days: number): Promise<{ tokens: number, families: number }> {
  const row = await db.selectFrom('refresh_tokens')
    .select((eb) => [eb.fn.countAll<number>().as('tokens'), eb.fn.count<number>('family_id').distinct().as('families')])
    .where('family_id', 'in', deadFamilies(db, days))
    .executeTakeFirstOrThrow()
  return { tokens: Number(row.tokens), families: Number(row.families) }
}

/** Deletes at most `limit` tokens of dead families; short statements, so the table is never locked for long. */
export async function deleteDeadTokensBatch (db: Db, days: number, limit: number): Promise<number> {
  const result = await db.deleteFrom('refresh_tokens')
    .where('id', 'in', db.selectFrom('refresh_tokens').select('id').where('family_id', 'in', deadFamilies(db, days)).limit(limit))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

// One fixed key: two cleanups at once would only repeat work, but the second one says so and stops.
const CLEANUP_LOCK_KEY = 7_270_301

export async function tryCleanupLock (db: Db): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${CLEANUP_LOCK_KEY}) as locked`.execute(db)
  return rows[0]?.locked === true
}

export async function releaseCleanupLock (db: Db): Promise<void> {
  await sql`select pg_advisory_unlock(${CLEANUP_LOCK_KEY})`.execute(db)
}
