import path from 'node:path'
import { setTimeout } from 'node:timers/promises'
import fp from 'fastify-plugin'
import type pg from 'pg'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import { connectDatabase, type DatabaseConnection } from '../db/engine.js'
import { migrateToLatest } from '../db/migrator.js'
import { runSeeds, SEEDS_FOLDER } from '../db/seeder.js'

import type { Database } from '../db/schema.js'

const FIRST_MIGRATION = '0001_accounts'
// Half of the shutdown's grace (close-with-grace's delay in src/server.ts is 10 s).
const SETTLE_LIMIT_MS = 5_000

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
    /** Campaign and analytics reads: the read replica (DATABASE_READ_URL) when there is one, else `db`. */
    readDb: Kysely<Database>
    database: DatabaseConnection
  }
}

export type DatabasePluginOptions = {
  config: Config
  /** An already open connection (tests pass a clone of a migrated template); owned by the app from then on. */
  connection?: DatabaseConnection
}

/**
 * Opens the database, applies migrations where the app owns them (the embedded engine, or
 * MIGRATE_ON_START=1), seeds a newly created embedded database, and closes the pool when the app closes.
 */
async function databasePlugin (app: FastifyInstance, { config, connection }: DatabasePluginOptions) {
  const database = connection ?? await connectDatabase(config)
  app.addHook('onClose', async () => {
    await Promise.all([database.pool, database.readerPool].map((pool) => pool && settle(pool, SETTLE_LIMIT_MS)))
    await database.close()
    app.log.info({ engine: database.engine }, 'database pool closed')
  })
  // PGlite has no directory lock, so the CLI must not migrate a directory the server holds: the server migrates it.
  const migrate = config.MIGRATE_ON_START ?? (database.engine === 'pglite' && !connection)
  let createdNow = false
  if (migrate) {
    const { results = [] } = await migrateToLatest(database.db)
    for (const result of results) app.log.info({ migration: result.migrationName, status: result.status }, 'migration applied')
    createdNow = results.some((result) => result.migrationName === FIRST_MIGRATION)
  }
  // `npm start` on a new embedded database serves data at once: seed it on its first start only
  // (SEED_ON_START=1 forces a run; seeds are idempotent).
  // One info line says what the seeds did (each gives a short one); their details are debug lines.
  if (config.SEED_ON_START ?? (createdNow && database.engine === 'pglite' && !config.TESTING)) {
    const said: string[] = []
    const log = { info: (message: string) => { said.push(message) }, debug: (message: string) => app.log.debug(message) }
    // The embedded database's report goes beside its directory (./.data by default).
    const reportDir = database.engine === 'pglite' ? path.dirname(path.resolve(config.PGLITE_DATA_DIR)) : undefined
    const ran = await runSeeds(database.db, SEEDS_FOLDER, { log, reportDir })
    app.log.info({ seeds: ran }, `database seeded: ${said.join(' ')}`)
  }
  app.decorate('database', database)
  app.decorate('db', database.db)
  app.decorate('readDb', database.reader)
}

/**
 * Waits until no query holds or awaits a pooled connection, or limitMs has passed. The server's
 * drain closes the listener before app.close(), so Fastify no longer waits for requests still in
 * their handlers: without this, their queries met a destroyed pool (500s in the logs at the end of
 * every benchmark run).
 */
export async function settle (pool: pg.Pool, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs
  while (Date.now() < deadline && (pool.totalCount > pool.idleCount || pool.waitingCount > 0)) await setTimeout(20)
}

export default fp(databasePlugin, { name: 'database', fastify: '5.x' })
