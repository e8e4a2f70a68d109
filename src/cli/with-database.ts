import { ConfigError, loadProcessConfig } from '../config.js'
import { connectDatabase, type DatabaseConnection } from '../db/engine.js'

/**
 * The shell of every database command: connect as the app does, run, always close; on failure
 * print what failed and what to do next, and exit 1.
 */
export async function withDatabase (action: (connection: DatabaseConnection) => Promise<void>, failure: { what: string, nextStep: string }): Promise<void> {
  try {
    const connection = await connectDatabase(loadProcessConfig())
    try {
      await action(connection)
    } finally {
      await connection.close()
    }
  } catch (error) {
    const message = (error as Error).message
    // A message that already says what failed (a MigrationError's "Migration failed: …") is not prefixed again.
    console.error(error instanceof ConfigError || message.startsWith(`${failure.what} failed`) ? message : `${failure.what} failed: ${message}`)
    console.error((error as { code?: string }).code === UNDEFINED_TABLE ? NOT_MIGRATED : failure.nextStep)
    process.exit(1)
  }
}

const UNDEFINED_TABLE = '42P01'
export const NOT_MIGRATED = 'The database has no tables yet: run `npm run db:migrate` (or `node dist/src/cli/migrate.js`) first.'
