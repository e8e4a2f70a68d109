import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { CompiledQuery, type Kysely } from 'kysely'
import type { DatabaseConnection } from '../../db/engine.js'
import type { Database } from '../../db/schema.js'

/**
 * One client holding the import's transaction, with bulk COPY into staging tables: the one
 * documented engine branch. pg-copy-streams over PGlite's adapter kills PGlite, so there COPY
 * reads a Blob through PGlite's own API; PGlite has a single session, so that COPY runs inside
 * the transaction the adapter client opened.
 */
export type ImportSession = {
  query: <R extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<{ rows: R[], rowCount: number }>
  copy: (table: string, columns: string[], rows: Row[]) => Promise<void>
  release: () => void
}

type Row = Array<string | null>
function toCsv (rows: Row[]): string {
  let text = ''
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) text += i === 0 ? csvField(row[i]) : ',' + csvField(row[i])
    text += '\n'
  }
  return text
}

/** A DatabaseConnection gets COPY; a bare Kysely instance (what kysely-ctl hands a seed) gets multi-row INSERTs on one connection. */
export async function openSession (target: DatabaseConnection | Kysely<Database>): Promise<ImportSession> {
  if (!('pool' in target)) return openKyselySession(target)
  const connection = target
  const client: pg.PoolClient = await connection.pool.connect()
  const query = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => {
    const result = await client.query(text, params)
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 }
  }
  const pglite = connection.pglite
  const copy = pglite
    ? async (table: string, columns: string[], rows: Row[]) => {
      await pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`, [], { blob: new Blob([toCsv(rows)]) })
    }
    : async (table: string, columns: string[], rows: Row[]) => {
      await pipeline(Readable.from([toCsv(rows)]), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`)))
    }
  return { query, copy, release: () => client.release() }
}

const MAX_PARAMETERS = 30_000

/** Holds one Kysely connection open until release(): db.connection() only lends one inside a callback. */
async function openKyselySession (db: Kysely<Database>): Promise<ImportSession> {
  let release!: () => void
  const released = new Promise<void>((resolve) => { release = resolve })
  const session = await new Promise<ImportSession>((resolve, reject) => {
    db.connection().execute(async (conn) => {
      const query = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => {
        const result = await conn.executeQuery<R>(CompiledQuery.raw(text, params))
        return { rows: result.rows, rowCount: Number(result.numAffectedRows ?? 0) }
      }
      const copy = async (table: string, columns: string[], rows: Row[]) => {
        const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length))
        for (let start = 0; start < rows.length; start += perStatement) {
          const chunk = rows.slice(start, start + perStatement)
          const tuples = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
          await query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, chunk.flat())
        }
      }
      resolve({ query, copy, release })
      await released
    }).catch(reject)
  })
  return session
}

/** A CSV field for COPY: NULL is an unquoted empty field; anything else is quoted when it must be. */
export function csvField (value: string | null): string {
  if (value === null) return ''
  if (value === '' || /[",\r\n]/.test(value)) return `"${value.replace(/"/g, '""')}"`
  return value
}

/** Buffers rows for one staging table and COPYs them in batches, so memory stays flat. */
export class StagingWriter {
  private buffer: Row[] = []
  /** The batch being copied while the next one is parsed: reading and loading overlap. */
  private inFlight: Promise<void> = Promise.resolve()
  rows = 0

  constructor (private readonly session: ImportSession, readonly table: string, readonly columns: string[], private readonly batch = 20_000) {}

  add (values: Array<string | null>): Promise<void> | undefined {
    this.buffer.push(values)
    this.rows++
    return this.buffer.length >= this.batch ? this.send() : undefined
  }

  /** Waits for the previous batch (so at most two are in memory), then starts this one without waiting for it. */
  private async send (): Promise<void> {
    const rows = this.buffer
    this.buffer = []
    await this.inFlight
    const copying = this.session.copy(this.table, this.columns, rows)
    copying.catch(() => {}) // surfaced by the next send() or flush()
    this.inFlight = copying
  }

  async flush (): Promise<void> {
    if (this.buffer.length > 0) await this.send()
    await this.inFlight
  }
}
