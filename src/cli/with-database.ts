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
    console.error(error instanceof ConfigError ? error.message : `${failure.what} failed: ${(error as Error).message}`)
    console.error(failure.nextStep)
    process.exit(1)
  }
}
