import { readdirSync } from 'node:fs'
import t from 'tap'
import { connectDatabase } from '../../src/db/engine.js'
import { MIGRATIONS_FOLDER, migrateToLatest } from '../../src/db/migrator.js'
import { DATABASE_DEFAULTS } from '../support/database.js'
import { createFreshDatabase, NEEDS_SERVER } from '../support/fresh-database.js'

const MIGRATIONS = readdirSync(MIGRATIONS_FOLDER).filter((f) => /^\d{4}_.*\.ts$/.test(f)).map((f) => f.replace(/\.ts$/, '')).sort()

// Two replicas starting with MIGRATE_ON_START=1 at once: Kysely's migration lock must make one wait.
t.test('two concurrent migrateToLatest calls on a fresh database both succeed and apply each migration once', { skip: NEEDS_SERVER }, async (t) => {
  const { url } = await createFreshDatabase(t, 'migrate_race')
  const replicas = await Promise.all([1, 2].map(() => connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: url })))
  t.teardown(() => Promise.all(replicas.map((r) => r.close())))

  const outcomes = await Promise.allSettled(replicas.map((r) => migrateToLatest(r.db)))
  t.same(outcomes.map((o) => o.status), ['fulfilled', 'fulfilled'], 'neither replica fails')

  const applied = outcomes.flatMap((o) => o.status === 'fulfilled' ? (o.value.results ?? []) : [])
  t.ok(applied.every((r) => r.status === 'Success' && r.direction === 'Up'))
  t.same(applied.map((r) => r.migrationName).sort(), MIGRATIONS, 'each migration applied by exactly one replica')

  const recorded = await replicas[0].db.selectFrom('kysely_migration' as never).select('name' as never).orderBy('name' as never).execute() as Array<{ name: string }>
  t.same(recorded.map((r) => r.name), MIGRATIONS, 'recorded once each')
  t.same((await migrateToLatest(replicas[1].db)).results, [], 'a later start has nothing to do')
})
