import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import t from 'tap'
import { connectDatabase } from '../../src/db/engine.js'
import { pendingMigrations } from '../../src/db/migrator.js'
import { DATABASE_DEFAULTS, openTestDatabase, ROOT } from '../support/database.js'

const run = promisify(execFile)
const work = await mkdtemp(path.join(tmpdir(), 'kysely-ctl-'))
t.teardown(() => rm(work, { recursive: true, force: true }))

// `npm run db:migrate`, `db:rollback` and `db:seed` as a user runs them: kysely-ctl with the project's kysely.config.ts.
async function kysely (args: string[], env: Record<string, string>) {
  const options = { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', TESTING: '', DATABASE_URL: '', ...env }, timeout: 120_000 }
  try {
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/kysely'), [...args, '--no-outdated-check'], options)
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

const STACK_FRAME = /^\s+at /m

t.test('pendingMigrations names the migrations a database has not run, without importing them', async (t) => {
  const migrated = await openTestDatabase()
  t.teardown(() => migrated.close())
  t.same(await pendingMigrations(migrated.db), [], 'the test database is migrated')

  const empty = await connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: undefined }, await PGlite.create())
  t.teardown(() => empty.close())
  t.same(await pendingMigrations(empty.db), ['0001_accounts', '0002_campaigns', '0003_access_token_revocation', '0004_campaign_figures', '0005_overview_aggregates', '0006_campaign_type_counts', '0007_zone_aggregates', '0008_company_data_versions', '0009_refresh_within_companies'], 'no kysely_migration table: every migration is pending')
})

t.test('a server that does not answer: one message and what to do, exit 1, no stack trace', async (t) => {
  const result = await kysely(['migrate:latest'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', DB_CONNECTION_TIMEOUT_MS: '2000' })
  t.equal(result.code, 1)
  t.match(result.stderr, /Migration failed: connect ECONNREFUSED 127\.0\.0\.1:1/)
  t.match(result.stderr, /Nothing was changed: check DATABASE_URL/)
  t.notMatch(result.stderr + result.stdout, STACK_FRAME)
})

t.test('bad settings are listed once, without a stack trace', async (t) => {
  const result = await kysely(['migrate:down'], { ENV: 'production', SECRET_KEY: '', FRONTEND_ORIGINS: '' })
  t.equal(result.code, 1)
  t.match(result.stderr, /Invalid configuration:\n {2}- SECRET_KEY is missing/)
  t.notMatch(result.stderr + result.stdout, STACK_FRAME)
})

t.test('seeding an embedded database before migrating it says to migrate; then both commands work', async (t) => {
  const env = { PGLITE_DATA_DIR: path.join(work, 'pglite') }
  const early = await kysely(['seed:run'], env)
  t.equal(early.code, 1)
  t.match(early.stderr, /Seeding failed: the database has not run the migration\(s\) 0001_accounts, 0002_campaigns, 0003_access_token_revocation, 0004_campaign_figures, 0005_overview_aggregates, 0006_campaign_type_counts, 0007_zone_aggregates, 0008_company_data_versions, 0009_refresh_within_companies\. Run `npm run db:migrate`/)
  t.notMatch(early.stderr + early.stdout, STACK_FRAME)

  const migrate = await kysely(['migrate:latest'], env)
  t.equal(migrate.code, 0, migrate.stderr)
  const seed = await kysely(['seed:run'], env)
  t.equal(seed.code, 0, seed.stderr)
  t.match(seed.stdout, /40 campaign\(s\) accepted, 0 rejected; committed\./)
  t.notMatch(seed.stdout + seed.stderr, /Ignoring/, 'db/seeds holds only seeds: kysely-ctl has nothing to warn about')
})
