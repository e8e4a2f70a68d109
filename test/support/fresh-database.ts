import pg from 'pg'
import type { Test } from 'tap'
import { TEST_DATABASE_URL } from './database.js'

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
