import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileMigrationProvider, Migrator, NO_MIGRATIONS, sql, type Kysely, type MigrationResultSet } from 'kysely'

/** db/migrations, both from src/db (tsx) and from dist/src/db (compiled): file names are the migration names either way. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations', import.meta.url))

export function createMigrator (db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_FOLDER })
  })
}

/**
 * Migrations in db/migrations the database has not run, by file name, without importing them
 * (kysely-ctl loads TypeScript itself, a plain import() of the folder's .ts files would fail).
 */
export async function pendingMigrations (db: Kysely<any>): Promise<string[]> {
  const names = (await fs.readdir(MIGRATIONS_FOLDER)).filter((file) => MIGRATION_FILE.test(file)).map((file) => file.replace(MIGRATION_FILE, ''))
  const run = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    .then((result) => new Set(result.rows.map((row) => row.name)), (error: { code?: string }) => {
      if (error.code === UNDEFINED_TABLE) return new Set<string>()
      throw error
    })
  return names.filter((name) => !run.has(name)).sort()
}

const MIGRATION_FILE = /(?<!\.d)\.(js|mjs|ts|mts)$/
const UNDEFINED_TABLE = '42P01'

export class MigrationError extends Error {
  constructor (readonly results: MigrationResultSet) {
    super(`Migration failed: ${(results.error as Error | undefined)?.message ?? String(results.error)}`, { cause: results.error })
  }
}

function unwrap (results: MigrationResultSet): MigrationResultSet {
  if (results.error) throw new MigrationError(results)
  return results
}

/** Applies every pending migration inside Kysely's migration lock, so replicas starting together migrate once. */
export async function migrateToLatest (db: Kysely<any>): Promise<MigrationResultSet> {
  return unwrap(await createMigrator(db).migrateToLatest())
}

export async function migrateDown (db: Kysely<any>): Promise<MigrationResultSet> {
  return unwrap(await createMigrator(db).migrateDown())
}

export async function migrateAllDown (db: Kysely<any>): Promise<MigrationResultSet> {
  return unwrap(await createMigrator(db).migrateTo(NO_MIGRATIONS))
}
