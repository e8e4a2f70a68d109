import { sql } from 'kysely'
import { ConfigError, loadProcessConfig } from '../config.js'
import { connectDatabase, EmbeddedDatabaseLockedError, type DatabaseConnection } from '../db/engine.js'
import { pendingMigrations } from '../db/migrator.js'

type Failure = { what: string, nextStep: string }

/**
 * The shell of every database command: connect as the app does, run, always close; on failure
 * print what failed and what to do next, and exit 1.
 */
export async function withDatabase (action: (connection: DatabaseConnection) => Promise<void>, failure: Failure): Promise<void> {
  try {
    const connection = await connectDatabase(loadProcessConfig())
    try {
      await action(connection)
    } finally {
      await connection.close()
    }
  } catch (error) {
    exitWithFailure(error, failure)
  }
}

/**
 * The connection kysely-ctl's commands (`npm run db:migrate`, `db:rollback`, `db:seed`) run on.
 * kysely-ctl prints whatever reaches it with a stack trace, so the mistakes a user makes (bad
 * settings, a server that does not answer, a locked embedded directory, seeding before migrating)
 * are found here first, and said as the compiled commands say them.
 */
export async function connectForKyselyCtl (command: 'migrate' | 'seed'): Promise<DatabaseConnection> {
  const failure = command === 'seed' ? SEED_FAILURE : MIGRATE_FAILURE
  try {
    const connection = await connectDatabase(loadProcessConfig())
    try {
      await sql`select 1`.execute(connection.db)
      const pending = command === 'seed' ? await pendingMigrations(connection.db) : []
      if (pending.length > 0) {
        await connection.close()
        console.error(`Seeding failed: the database has not run the migration(s) ${pending.join(', ')}. ${RUN_MIGRATIONS}`)
        process.exit(1)
      }
    } catch (error) {
      await connection.close()
      throw error
    }
    return connection
  } catch (error) {
    exitWithFailure(error, failure)
  }
}

function exitWithFailure (error: unknown, failure: Failure): never {
  const message = (error as Error).message
  // A message that already says what failed (a MigrationError's "Migration failed: …") is not prefixed again.
  console.error(error instanceof ConfigError || message.startsWith(`${failure.what} failed`) ? message : `${failure.what} failed: ${message}`)
  // These say what to do themselves.
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseLockedError) process.exit(1)
  console.error((error as { code?: string }).code === UNDEFINED_TABLE ? NOT_MIGRATED : failure.nextStep)
  process.exit(1)
}

const UNDEFINED_TABLE = '42P01'
const RUN_MIGRATIONS = 'Run `npm run db:migrate` (or `node dist/src/cli/migrate.js`) first.'
export const NOT_MIGRATED = 'The database has no tables yet: run `npm run db:migrate` (or `node dist/src/cli/migrate.js`) first.'
const SETTINGS = 'check DATABASE_URL (unset, the embedded database in PGLITE_DATA_DIR is used) and that its server is running'
const MIGRATE_FAILURE = { what: 'Migration', nextStep: `Nothing was changed: ${SETTINGS}, then run the command again.` }
const SEED_FAILURE = { what: 'Seeding', nextStep: `Nothing was seeded: ${SETTINGS}, then run the command again.` }
