import type { EventEmitter } from 'node:events'
import { mkdirSync } from 'node:fs'
import pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { btree_gin as btreeGin } from '@electric-sql/pglite/contrib/btree_gin'
import { pg_trgm as pgTrgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import lockfile from 'proper-lockfile'
import type { Config } from '../config.js'
import type { Database } from './schema.js'
import { PreparingClient } from './prepared.js'
import { registerTypeParsers } from './type-parsers.js'

registerTypeParsers()

export type Engine = 'postgres' | 'pglite'

export type DatabaseConnection = {
  engine: Engine
  db: Kysely<Database>
  pool: pg.Pool
  /** Where campaign and analytics reads go: the read replica of DATABASE_READ_URL, else `db`. */
  reader: Kysely<Database>
  readerPool?: pg.Pool
  /** The embedded instance, when the engine is PGlite (bulk COPY goes through it). */
  pglite?: PGlite
  close: () => Promise<void>
}

export type DatabaseOptions = Pick<Config, 'DATABASE_URL' | 'DATABASE_READ_URL' | 'TESTING' | 'PGLITE_DATA_DIR' | 'DB_POOL_MAX' | 'DB_CONNECTION_TIMEOUT_MS' | 'DB_STATEMENT_TIMEOUT_MS'>

// The extensions the migrations create: pg_trgm (name search), btree_gin (campaigns' zone and state index).
export const PGLITE_EXTENSIONS = { pg_trgm: pgTrgm, btree_gin: btreeGin }

/** One SQL dialect, two engines: a pg Pool on a PostgreSQL server, or on PGlite through its node-postgres adapter. */
export async function connectDatabase (options: DatabaseOptions, embedded?: PGlite): Promise<DatabaseConnection> {
  if (options.DATABASE_URL) {
    const replica = options.DATABASE_READ_URL ? createServerPool(options, options.DATABASE_READ_URL) : undefined
    return fromPool('postgres', createServerPool(options), { replica })
  }
  const pglite = embedded ?? await openPglite(options)
  const adapter = createPgConfig(pglite)
  // One connection: requests queue for it, and wait at most as long as they would for the server's pool.
  const pool = new pg.Pool({ ...adapter, max: 1, Client: PreparingClient, connectionTimeoutMillis: options.DB_CONNECTION_TIMEOUT_MS })
  // pool.end() leaves the PGlite instance open; ending the pool (db.destroy(), from the app or
  // kysely-ctl) must close both, or the data directory is left mid-write.
  const endPool = pool.end.bind(pool)
  pool.end = (async () => {
    await endPool()
    await drained(adapter.connection)
    if (!pglite.closed) await pglite.close()
  }) as typeof pool.end
  return fromPool('pglite', pool, { pglite })
}

/**
 * Resolves once the messages queued on the adapter's connection have run. A statement that fails
 * leaves the rest of its protocol messages queued; run on a closed engine they throw, emitted as
 * 'error' on a connection whose listeners pg has removed, which crashed the process (a command
 * failing on an unmigrated embedded database). The adapter emits 'end' after its queue.
 */
function drained (connection: EventEmitter & { end: () => void }): Promise<void> {
  return new Promise((resolve) => {
    connection.end()
    connection.once('end', () => resolve())
  })
}

export function createServerPool (options: DatabaseOptions, url = options.DATABASE_URL): pg.Pool {
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: url,
    max: options.DB_POOL_MAX,
    connectionTimeoutMillis: options.DB_CONNECTION_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.DB_STATEMENT_TIMEOUT_MS || undefined,
    // No JIT: it pays off on long analytical scans, and costs this API 200-400 ms of compilation on
    // short statements the planner merely estimates as large (the v1 list's branch that a one-time
    // filter skips, at 1,000,000 campaigns: a 0.1 ms page answered in 400 ms). A startup parameter,
    // like statement_timeout: the server applies it before the first query.
    options: '-c jit=off',
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
  const dir = options.PGLITE_DATA_DIR
  mkdirSync(dir, { recursive: true })
  const unlock = await lockDataDirectory(dir)
  const pglite = await PGlite.create(dir, { extensions: PGLITE_EXTENSIONS }).catch(async (error: unknown) => {
    await unlock()
    throw error
  })
  const close = pglite.close.bind(pglite)
  pglite.close = async () => {
    try {
      await close()
    } finally {
      await unlock()
    }
  }
  return pglite
}

/** Another process (a server, a CLI command) holds the embedded database's directory. */
export class EmbeddedDatabaseLockedError extends Error {}

/**
 * A lock held while a long statement stalls the event loop looks stale to others. PGlite runs
 * each statement on the main thread, so the threshold is far above any statement's length; a
 * lock left by a killed process then blocks others for at most this long.
 */
const LOCK_STALE_MS = 10 * 60_000

/**
 * PGlite has no lock of its own, and two processes opening one data directory corrupt it: the
 * directory is locked (`<dir>.lock`, beside it) while an instance has it open. A second opener
 * fails at once, saying what to do. A normal exit, even on a signal, releases the lock.
 */
async function lockDataDirectory (dir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dir, {
      stale: LOCK_STALE_MS,
      // A stall past the threshold, or the lock deleted by hand: keep serving, with a warning.
      onCompromised: (error) => process.emitWarning(`embedded database lock on ${dir}: ${error.message}`)
    })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
    throw new EmbeddedDatabaseLockedError(
      `The embedded database in ${dir} is in use by another process (a running server or command): ` +
      'two processes writing to it would corrupt it. Stop that process, or use another PGLITE_DATA_DIR, ' +
      `or PostgreSQL with DATABASE_URL. If nothing is running (it was killed), remove the lock: rm -r ${dir}.lock`)
  }
}

function fromPool (engine: Engine, pool: pg.Pool, { pglite, replica }: { pglite?: PGlite, replica?: pg.Pool } = {}): DatabaseConnection {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  const reader = replica ? new Kysely<Database>({ dialect: new PostgresDialect({ pool: replica }) }) : db
  let closing: Promise<void> | undefined
  // Kysely ends a pool only if it ever used it, so end it here when it did not;
  // idempotent, since both the app and a CLI may call it.
  const end = (kysely: Kysely<Database>, ended: pg.Pool) => kysely.destroy().then(async () => {
    if (!ended.ending) await ended.end()
  })
  const close = () => (closing ??= Promise.all([end(db, pool), replica && end(reader, replica)]).then(() => {}))
  return { engine, db, pool, reader, readerPool: replica, pglite, close }
}
