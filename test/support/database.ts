import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { connectDatabase, PGLITE_EXTENSIONS, type DatabaseConnection, type DatabaseOptions } from '../../src/db/engine.js'

/**
 * Which engine the suite runs on: TEST_DATABASE_URL names a PostgreSQL server database
 * (migrated once by test/support/prepare.ts); without it, every test file gets its own
 * PGlite restored from a migrated template, which costs a fraction of a fresh initdb.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined
export const ENGINE = TEST_DATABASE_URL ? 'postgres' : 'pglite'

export const TEMPLATE_PATH = fileURLToPath(new URL('../../.data/test/pglite-template.tar.gz', import.meta.url))
export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))

export const DATABASE_DEFAULTS: DatabaseOptions = {
  DATABASE_URL: TEST_DATABASE_URL,
  TESTING: true,
  PGLITE_DATA_DIR: '',
  DB_POOL_MAX: 5,
  DB_CONNECTION_TIMEOUT_MS: 2000,
  DB_STATEMENT_TIMEOUT_MS: 15000
}

let template: Blob | undefined

/** A fresh PGlite holding the migrated schema. */
export async function openMigratedPglite (): Promise<PGlite> {
  template ??= new Blob([await readFile(TEMPLATE_PATH)])
  return PGlite.create({ loadDataDir: template, extensions: PGLITE_EXTENSIONS })
}

/** A migrated database connection for one app or test; the caller closes it (the app does, in onClose). */
export async function openTestDatabase (options: Partial<DatabaseOptions> = {}): Promise<DatabaseConnection> {
  const settings = { ...DATABASE_DEFAULTS, ...options }
  if (settings.DATABASE_URL) return connectDatabase(settings)
  return connectDatabase(settings, await openMigratedPglite())
}
