import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { buildTestApp, createUserWithToken, ENGINE } from '../helper.js'
import { ROOT } from '../support/database.js'
import { cleanupRefreshTokens } from '../../src/modules/auth/cleanup.js'
import { connectDatabase } from '../../src/db/engine.js'
import { DATABASE_DEFAULTS } from '../support/database.js'

const run = promisify(execFile)
const CLI = ['--import', 'tsx', 'src/cli/cleanup-refresh-tokens.ts']

async function cli (args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', ...env } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number, stdout: string, stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

/** One family of `size` tokens whose times are shifted by the given intervals (PostgreSQL interval text). */
async function family (app: Awaited<ReturnType<typeof buildTestApp>>, userId: number, times: { expires: string, familyExpires: string, revoked?: string }, size = 2) {
  const familyId = randomUUID()
  let parent: number | null = null
  for (let i = 0; i < size; i++) {
    const row: { id: number } = await app.db.insertInto('refresh_tokens').values({
      user_id: userId,
      token_hash: randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', ''),
      family_id: familyId,
      parent_id: parent,
      expires_at: sql`now() + ${times.expires}::interval`,
      family_expires_at: sql`now() + ${times.familyExpires}::interval`,
      used_at: i < size - 1 ? sql`now()` : null,
      revoked_at: times.revoked ? sql`now() + ${times.revoked}::interval` : null
    }).returning('id').executeTakeFirstOrThrow()
    parent = row.id
  }
  return familyId
}

const familyIds = (app: Awaited<ReturnType<typeof buildTestApp>>, userId: number) =>
  app.db.selectFrom('refresh_tokens').select('family_id').distinct().where('user_id', '=', userId).execute().then((rows) => rows.map((r) => r.family_id).sort())

t.test('deletes dead families only, after the grace period; dry run deletes nothing', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app)
  const live = await family(app, user.id, { expires: '6 days', familyExpires: '20 days' }, 3)
  const expiredLongAgo = await family(app, user.id, { expires: '-10 days', familyExpires: '-10 days' })
  const idleExpiredLongAgo = await family(app, user.id, { expires: '-9 days', familyExpires: '15 days' })
  const expiredRecently = await family(app, user.id, { expires: '-2 days', familyExpires: '10 days' })
  const revokedLongAgo = await family(app, user.id, { expires: '3 days', familyExpires: '20 days', revoked: '-8 days' })
  const revokedRecently = await family(app, user.id, { expires: '3 days', familyExpires: '20 days', revoked: '-1 day' })
  const all = [live, expiredLongAgo, idleExpiredLongAgo, expiredRecently, revokedLongAgo, revokedRecently].sort()

  const dry = await cleanupRefreshTokens(app.db, { olderThanDays: 7, dryRun: true, batchSize: 2 })
  t.ok(dry.locked && dry.dryRun)
  if (dry.locked) {
    t.ok(dry.tokens >= 6, `counts at least our 6 dead tokens (${dry.tokens})`)
    t.ok(dry.families >= 3, `in at least our 3 dead families (${dry.families})`)
  }
  t.same(await familyIds(app, user.id), all, 'the dry run deleted nothing')

  const batches: number[] = []
  const done = await cleanupRefreshTokens(app.db, { olderThanDays: 7, dryRun: false, batchSize: 2, onBatch: (n) => batches.push(n) })
  t.ok(done.locked && !done.dryRun && done.batches >= 3, 'in batches of 2')
  t.same(await familyIds(app, user.id), [live, expiredRecently, revokedRecently].sort(), 'dead families gone; live and recently dead kept')
  const liveTokens = await app.db.selectFrom('refresh_tokens').select('used_at').where('family_id', '=', live).execute()
  t.equal(liveTokens.length, 3, 'rotated tokens of a live family are kept for reuse detection')

  // Not 0: other test files' sessions, revoked seconds ago, share the PostgreSQL test database.
  const shorter = await cleanupRefreshTokens(app.db, { olderThanDays: 1, dryRun: false, batchSize: 100 })
  t.ok(shorter.locked)
  t.same(await familyIds(app, user.id), [live], 'a shorter grace period removes the recently dead families too')
})

t.test('a second cleanup while one holds the lock does nothing', { skip: ENGINE !== 'postgres' && 'PGlite has one session: advisory locks only matter between server connections' }, async (t) => {
  const app = await buildTestApp(t)
  const other = await connectDatabase(DATABASE_DEFAULTS)
  t.teardown(() => other.close())
  await other.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(7270301)`.execute(connection)
    try {
      const result = await cleanupRefreshTokens(app.db, { olderThanDays: 7, dryRun: false, batchSize: 10 })
      t.same(result, { locked: false })
    } finally {
      await sql`select pg_advisory_unlock(7270301)`.execute(connection)
    }
  })
  const after = await cleanupRefreshTokens(app.db, { olderThanDays: 7, dryRun: true, batchSize: 10 })
  t.ok(after.locked, 'the lock is free again')
})

t.test('the command line', async (t) => {
  const help = await cli(['--help'])
  t.equal(help.code, 0)
  t.match(help.stdout, /--dry-run/)
  t.match(help.stdout, /--older-than-days/)
  const bad = await cli(['--older-than-days', 'soon'])
  t.equal(bad.code, 2)
  t.match(bad.stderr, /--older-than-days must be an integer >= 0, got "soon"/)
  const unknown = await cli(['--everything'])
  t.equal(unknown.code, 2)
  const unreachable = await cli(['--dry-run'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', DB_CONNECTION_TIMEOUT_MS: '500' })
  t.equal(unreachable.code, 1, 'exits non-zero on failure')
  t.match(unreachable.stderr, /Cleanup failed/)
  // A fresh embedded directory has no tables: say to migrate, not "fix the cause".
  const empty = path.join(tmpdir(), `cleanup-unmigrated-${randomUUID()}`)
  t.teardown(() => rm(empty, { recursive: true, force: true }))
  const unmigrated = await cli(['--dry-run'], { DATABASE_URL: '', PGLITE_DATA_DIR: empty })
  t.equal(unmigrated.code, 1)
  t.match(unmigrated.stderr, /has no tables yet: run `npm run db:migrate`/)
})

t.test('the command line --dry-run on the server database', { skip: ENGINE !== 'postgres' && 'the CLI reaches a database by DATABASE_URL; the PGlite test database lives inside this process' }, async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app)
  const dead = await family(app, user.id, { expires: '-30 days', familyExpires: '-30 days' })
  const result = await cli(['--dry-run', '--older-than-days', '7'], { DATABASE_URL: process.env.TEST_DATABASE_URL as string })
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /^Dry run: \d+ tokens in \d+ families dead for more than 7 days would be deleted\.$/m)
  t.same(await familyIds(app, user.id), [dead], 'nothing deleted')
})
