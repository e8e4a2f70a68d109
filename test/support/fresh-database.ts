import pg from 'pg'
import type { Test } from 'tap'
import { connectDatabase, type DatabaseConnection } from '../../src/db/engine.js'
import { migrateToLatest } from '../../src/db/migrator.js'
import { DATABASE_DEFAULTS, openTestDatabase, TEST_DATABASE_URL } from './database.js'

/** Why a test that needs its own PostgreSQL databases cannot run on this engine. */
export const NEEDS_SERVER = TEST_DATABASE_URL ? false : 'needs a PostgreSQL server: set TEST_DATABASE_URL (the Postgres pass of .ci/run does)'

/** The URL of another database on the test server. */
export function databaseUrl (name: string): string {
  const url = new URL(TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  url.pathname = `/${name}`
  return url.toString()
}

async function admin<T> (run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

/** Creates an empty database with a unique name on the test server; dropped (with force) at teardown. */
export async function createFreshDatabase (t: Test, prefix: string): Promise<{ name: string, url: string }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`.toLowerCase()
  await admin((client) => client.query(`create database "${name}"`))
  t.teardown(() => admin((client) => client.query(`drop database if exists "${name}" with (force)`)))
  return { name, url: databaseUrl(name) }
}

/**
 * A migrated database no other test file sees, on the suite's engine: on PGlite every connection
 * already is one; on PostgreSQL a fresh database on the server. For tests of state that is
 * global to a database (the seed's default company), which parallel files would otherwise share.
 */
export async function openOwnDatabase (t: Test, prefix: string): Promise<DatabaseConnection> {
  const connection = TEST_DATABASE_URL
    ? await connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: (await createFreshDatabase(t, prefix)).url })
    : await openTestDatabase()
  t.teardown(() => connection.close())
  if (TEST_DATABASE_URL) await migrateToLatest(connection.db)
  return connection
}
