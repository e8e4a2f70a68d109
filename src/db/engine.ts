import { mkdirSync } from 'node:fs'
import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm as pgTrgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import type { Config } from '../config.js'
import type { Database } from './schema.js'
import { PreparingClient } from './prepared.js'

// pg returns bigint (int8) and numeric as strings by default; our counts fit in a JS number
// (2^53), so parse them once here for both engines instead of in every query.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value))
// Dates are calendar days, not instants: keep them as 'YYYY-MM-DD' strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)

export type Engine = 'postgres' | 'pglite'

export type DatabaseConnection = {
  engine: Engine
  db: Kysely<Database>
  pool: pg.Pool
  /** The embedded instance, when the engine is PGlite (bulk COPY goes through it). */
  pglite?: PGlite
  close: () => Promise<void>
}

export type DatabaseOptions = Pick<Config, 'DATABASE_URL' | 'TESTING' | 'PGLITE_DATA_DIR' | 'DB_POOL_MAX' | 'DB_CONNECTION_TIMEOUT_MS' | 'DB_STATEMENT_TIMEOUT_MS'>

export const PGLITE_EXTENSIONS = { pg_trgm: pgTrgm }

/** One SQL dialect, two engines: a pg Pool on a PostgreSQL server, or on PGlite through its node-postgres adapter. */
export async function connectDatabase (options: DatabaseOptions, embedded?: PGlite): Promise<DatabaseConnection> {
  if (options.DATABASE_URL) return fromPool('postgres', createServerPool(options))
  const pglite = embedded ?? await openPglite(options)
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, Client: PreparingClient })
  // pool.end() leaves the PGlite instance open; ending the pool (db.destroy(), from the app or
  // kysely-ctl) must close both, or the data directory is left mid-write.
  const endPool = pool.end.bind(pool)
  pool.end = (async () => {
    await endPool()
    if (!pglite.closed) await pglite.close()
  }) as typeof pool.end
  return fromPool('pglite', pool, pglite)
}

export function createServerPool (options: DatabaseOptions, url = options.DATABASE_URL): pg.Pool {
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: url,
    max: options.DB_POOL_MAX,
    connectionTimeoutMillis: options.DB_CONNECTION_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.DB_STATEMENT_TIMEOUT_MS || undefined,
    application_name: 'campaign-analytics-api'
  })
  // An idle client losing its server (restart, failover) emits here; without a listener it would crash the process.
  pool.on('error', () => {})
  // A checked-out client (in a transaction between two statements, or between connect and its
  // first query) has no pool listener: a server shutdown then emits 'error' on it, which crashed
  // the process (found by test/stress/db-outage.test.ts). The caller still sees the failure on its next query.
  pool.on('connect', (client) => { client.on('error', () => {}) })
  return pool
}

export async function openPglite (options: Pick<DatabaseOptions, 'TESTING' | 'PGLITE_DATA_DIR'>): Promise<PGlite> {
  if (options.TESTING) return PGlite.create({ extensions: PGLITE_EXTENSIONS })
  mkdirSync(options.PGLITE_DATA_DIR, { recursive: true })
  return PGlite.create(options.PGLITE_DATA_DIR, { extensions: PGLITE_EXTENSIONS })
}

function fromPool (engine: Engine, pool: pg.Pool, pglite?: PGlite): DatabaseConnection {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  let closing: Promise<void> | undefined
  // Kysely ends the pool only if it ever used it, so end it here when it did not;
  // idempotent, since both the app and a CLI may call it.
  const close = () => (closing ??= db.destroy().then(async () => {
    if (!pool.ending) await pool.end()
  }))
  return { engine, db, pool, pglite, close }
}
