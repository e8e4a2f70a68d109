import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import { connectDatabase, type DatabaseConnection } from '../db/engine.js'
import { migrateToLatest } from '../db/migrator.js'
import type { Database } from '../db/schema.js'

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>
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
 * MIGRATE_ON_START=1), and closes the pool when the app closes.
 */
async function databasePlugin (app: FastifyInstance, { config, connection }: DatabasePluginOptions) {
  const database = connection ?? await connectDatabase(config)
  app.addHook('onClose', async () => {
    await database.close()
    app.log.info({ engine: database.engine }, 'database pool closed')
  })
  // PGlite has no directory lock, so the CLI must not migrate a directory the server holds: the server migrates it.
  const migrate = config.MIGRATE_ON_START ?? (database.engine === 'pglite' && !connection)
  if (migrate) {
    const { results } = await migrateToLatest(database.db)
    for (const result of results ?? []) app.log.info({ migration: result.migrationName, status: result.status }, 'migration applied')
  }
  app.decorate('database', database)
  app.decorate('db', database.db)
}

export default fp(databasePlugin, { name: 'database', fastify: '5.x' })
