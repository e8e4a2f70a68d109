import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import t from 'tap'
import { connectDatabase } from '../../src/db/engine.js'
import { migrateToLatest } from '../../src/db/migrator.js'
import type { Database } from '../../src/db/schema.js'
import { DATABASE_DEFAULTS, ROOT } from '../support/database.js'
import { createFreshDatabase, NEEDS_SERVER } from '../support/fresh-database.js'

const BACKUP = path.join(ROOT, 'scripts/backup.sh')
const RESTORE = path.join(ROOT, 'scripts/restore.sh')
const TABLES = ['companies', 'users', 'campaigns', 'campaign_periods', 'kysely_migration'] as const

function run (script: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync('bash', [script, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 })
}

async function open (t: Parameters<typeof createFreshDatabase>[0], url: string) {
  const connection = await connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: url })
  t.teardown(() => connection.close())
  return connection.db
}

/** Row counts of the tables we care about and an order-independent fingerprint of every campaign column. */
async function fingerprint (db: Kysely<Database>) {
  const counts: Record<string, number> = {}
  for (const table of TABLES) counts[table] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0].n
  const { rows } = await sql<{ sum: string }>`select md5(string_agg(c::text, E'\n' order by company_id, id)) as sum from campaigns c`.execute(db)
  return { counts, campaigns: rows[0].sum }
}

async function seedCampaigns (db: Kysely<Database>) {
  const company = await db.insertInto('companies').values({ name: 'Backup Test Co' }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('users').values({ company_id: company.id, email: 'owner@backup.test', password_hash: 'x', role: 'owner' }).execute()
  for (let i = 0; i < 25; i++) {
    const campaign = await db.insertInto('campaigns').values({
      company_id: company.id,
      name: `Campaña ${i} «ñ»`,
      sites: i * 3,
      periods: ['2025-01', '2025-02'],
      tipo_campania: i % 2 ? 'mensual' : 'catorcenal',
      fecha_inicio: '2025-01-01',
      fecha_fin: '2025-02-28',
      impactos_personas: 1000 * i,
      frecuencia_promedio: i / 7,
      nse_ab: 0.125,
      hourly_vehicle_count: i % 5 ? Array.from({ length: 24 }, (_, h) => h * i) : null
    }).returning('id').executeTakeFirstOrThrow()
    await db.insertInto('campaign_periods').values({ company_id: company.id, campaign_id: campaign.id, period: '2025-01', impactos_periodo_personas: i }).execute()
  }
}

t.test('backup, then restore into a fresh database: counts and the campaigns checksum match', { skip: NEEDS_SERVER }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'backup-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const source = await createFreshDatabase(t, 'backup_src')
  const sourceDb = await open(t, source.url)
  await migrateToLatest(sourceDb)
  await seedCampaigns(sourceDb)
  const before = await fingerprint(sourceDb)
  t.equal(before.counts.campaigns, 25)

  const backup = run(BACKUP, ['--dir', dir], { DATABASE_URL: source.url })
  t.equal(backup.status, 0, backup.stderr)
  const file = backup.stdout.trim().split('\n').at(-1) ?? ''
  t.match(path.basename(file), /^campaign-analytics-\d{8}T\d{6}\.\d{3}Z\.dump$/, 'timestamped file')

  const target = await createFreshDatabase(t, 'backup_dst')
  const restore = run(RESTORE, ['--url', target.url, file])
  t.equal(restore.status, 0, restore.stderr)
  t.same(await fingerprint(await open(t, target.url)), before, 'same rows in every table, same campaigns checksum')

  const refused = run(RESTORE, [file], { DATABASE_URL: target.url })
  t.equal(refused.status, 3, 'a non-empty target is refused without --force')
  t.match(refused.stderr, /not empty.*--force/)

  const forced = run(RESTORE, ['--force', '--url', target.url, file])
  t.equal(forced.status, 0, forced.stderr)
  t.same(await fingerprint(await open(t, target.url)), before, '--force replaces, it does not duplicate')
})

t.test('backup keeps only the newest N with --keep, and fails cleanly on a bad database', { skip: NEEDS_SERVER }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'backup-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const source = await createFreshDatabase(t, 'backup_keep')
  const made: string[] = []
  for (let i = 0; i < 3; i++) {
    const result = run(BACKUP, ['--dir', dir, '--keep', '2', '--url', source.url])
    t.equal(result.status, 0, result.stderr)
    made.push(path.basename(result.stdout.trim()))
  }
  t.same(readdirSync(dir).sort(), made.slice(1), 'the oldest one was removed')

  // Another prefix that starts with this one is another series: --keep never touches it, nor the new file.
  const staging = run(BACKUP, ['--dir', dir, '--prefix', 'campaign-analytics-staging', '--url', source.url])
  t.equal(staging.status, 0, staging.stderr)
  const again = run(BACKUP, ['--dir', dir, '--keep', '1', '--url', source.url])
  t.equal(again.status, 0, again.stderr)
  const newest = path.basename(again.stdout.trim())
  t.same(readdirSync(dir).sort(), [path.basename(staging.stdout.trim()), newest].sort(), 'the staging series and the new backup stay')

  const before = readdirSync(dir).sort()

  const failed = run(BACKUP, ['--dir', dir, '--url', 'postgres://postgres@127.0.0.1:5432/no_such_database_here'])
  t.not(failed.status, 0)
  t.match(failed.stderr, /no backup was written/)
  t.same(readdirSync(dir).sort(), before, 'no partial file left behind')
})

t.test('both scripts explain themselves and refuse bad usage', async (t) => {
  for (const script of [BACKUP, RESTORE]) {
    const help = run(script, ['--help'])
    t.equal(help.status, 0)
    t.match(help.stdout, /^Usage: scripts\//)
    t.equal(run(script, ['--bogus']).status, 2)
  }
  t.match(run(BACKUP, [], { DATABASE_URL: '' }).stderr, /set DATABASE_URL or pass --url/)
  t.match(run(BACKUP, ['--keep', 'x', '--url', 'postgres://x/y']).stderr, /--keep must be a positive/)
  for (const [script, option] of [[BACKUP, '--dir'], [BACKUP, '--keep'], [RESTORE, '--url']] as const) {
    const missing = run(script, [option])
    t.equal(missing.status, 2, `${option} without a value is a usage error`)
    t.match(missing.stderr, new RegExp(`^\\S+: ${option} needs .+ \\(see --help\\)`))
  }
  t.match(run(BACKUP, ['--prefix', 'a/b', '--url', 'postgres://x/y']).stderr, /--prefix may hold/)
  t.match(run(RESTORE, []).stderr, /which backup/)
})

/** npm run backup / npm run restore, the one documented command for both engines. */
function command (name: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, `src/cli/${name}.ts`), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 240_000
  })
}

t.test('the embedded database: backup, restore into a new directory, same rows; a held or occupied directory is refused', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'backup-embedded-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const source = path.join(dir, 'source')
  const embedded = (dataDir: string) => connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: undefined, TESTING: false, PGLITE_DATA_DIR: dataDir })
  const sourceConnection = await embedded(source)
  await migrateToLatest(sourceConnection.db)
  await seedCampaigns(sourceConnection.db)
  const before = await fingerprint(sourceConnection.db)
  t.equal(before.counts.campaigns, 25)

  const held = command('backup', ['--dir', path.join(dir, 'backups')], { PGLITE_DATA_DIR: source })
  t.equal(held.status, 1, 'a directory the server holds is not backed up')
  t.match(held.stderr, /rm -r/, 'the lock message says what to do')
  await sourceConnection.close()

  const backup = command('backup', ['--dir', path.join(dir, 'backups'), '--keep', '1'], { PGLITE_DATA_DIR: source })
  t.equal(backup.status, 0, backup.stderr)
  const file = backup.stdout.trim().split('\n').at(-1) ?? ''
  t.match(path.basename(file), /^campaign-analytics-\d{8}T\d{6}\.\d{3}Z\.pglite\.tar\.gz$/, 'timestamped file')

  const target = path.join(dir, 'restored')
  const restore = command('restore', ['--file', file], { PGLITE_DATA_DIR: target })
  t.equal(restore.status, 0, restore.stderr)
  const restored = await embedded(target)
  t.same(await fingerprint(restored.db), before, 'same rows in every table, same campaigns checksum')
  await restored.close()

  const refused = command('restore', ['--file', file], { PGLITE_DATA_DIR: target })
  t.equal(refused.status, 3, 'an occupied directory is refused without --force')
  t.match(refused.stderr, /--force/)
  // (Reopening the replaced directory to compare again costs another embedded start: the round trip above is the check.)
  const forced = command('restore', ['--file', file, '--force'], { PGLITE_DATA_DIR: target })
  t.equal(forced.status, 0, forced.stderr)
  t.match(forced.stdout, `Restored ${file} into ${target}.`, '--force replaces it')
})

t.test('npm run backup on PostgreSQL is scripts/backup.sh, and restore its restore.sh', { skip: NEEDS_SERVER }, async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'backup-command-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const source = await createFreshDatabase(t, 'backup_cmd_src')
  const sourceDb = await open(t, source.url)
  await migrateToLatest(sourceDb)
  await seedCampaigns(sourceDb)
  const before = await fingerprint(sourceDb)
  const backup = command('backup', ['--dir', dir], { DATABASE_URL: source.url })
  t.equal(backup.status, 0, backup.stderr)
  const file = backup.stdout.trim().split('\n').at(-1) ?? ''
  t.match(path.basename(file), /\.dump$/)
  const target = await createFreshDatabase(t, 'backup_cmd_dst')
  const restore = command('restore', ['--file', file], { DATABASE_URL: target.url })
  t.equal(restore.status, 0, restore.stderr)
  t.same(await fingerprint(await open(t, target.url)), before, 'same rows, same campaigns checksum')
})
