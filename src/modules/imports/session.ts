import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { CompiledQuery, type Kysely } from 'kysely'
import type { DatabaseConnection } from '../../db/engine.js'
import type { Database } from '../../db/schema.js'
import { occurrences } from './occurrences.js'

/**
 * One client holding the import's transaction, with bulk COPY into staging tables: the one
 * documented engine branch. pg-copy-streams over PGlite's adapter kills PGlite, so there COPY
 * reads a Blob through PGlite's own API; PGlite has a single session, so that COPY runs inside
 * the transaction the adapter client opened.
 */
export type ImportSession = {
  query: <R extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<{ rows: R[], rowCount: number }>
  /** An empty batch of staging rows, in the form this session loads them. */
  batch: () => StagingBatch
  release: () => void
}

type Row = Array<string | null>

export interface StagingBatch {
  readonly size: number
  add: (values: Row) => void
  load: (table: string, columns: string[]) => Promise<void>
}

/**
 * Staging rows, each encoded as it is added: for COPY to its CSV line, so a batch holds one string
 * per row instead of an array of strings, which the garbage collector would otherwise copy and
 * promote while the batch waits its turn (it was the importer's largest Node cost).
 */
class EncodedBatch<T> implements StagingBatch {
  private readonly items: T[] = []
  constructor (private readonly encode: (values: Row) => T, private readonly loader: (table: string, columns: string[], items: T[]) => Promise<void>) {}
  get size (): number { return this.items.length }
  add (values: Row): void { this.items.push(this.encode(values)) }
  load (table: string, columns: string[]): Promise<void> { return this.loader(table, columns, this.items) }
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
    ? async (table: string, columns: string[], lines: string[]) => {
      await pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`, [], { blob: new Blob([lines.join('')]) })
    }
    : async (table: string, columns: string[], lines: string[]) => {
      await pipeline(Readable.from([lines.join('')]), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`)))
    }
  return { query, batch: () => new EncodedBatch(csvLine, copy), release: () => client.release() }
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
      const insert = async (table: string, columns: string[], rows: Row[]) => {
        const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length))
        for (let start = 0; start < rows.length; start += perStatement) {
          const chunk = rows.slice(start, start + perStatement)
          const tuples = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
          await query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, chunk.flat())
        }
      }
      resolve({ query, batch: () => new EncodedBatch((values) => values, insert), release })
      await released
    }).catch(reject)
  })
  return session
}

const MUST_QUOTE = /[",\r\n]/
const QUOTE_OR_BREAK = /["\r\n]/

/**
 * One CSV line for COPY, LF-terminated. Most rows need no quoting, so their values are joined as
 * they are; the joined line shows whether any value needed it (a comma beyond the separators, a
 * quote, a line break, or an empty string, which must be quoted to differ from NULL).
 */
function csvLine (values: Row): string {
  const line = values.join(',')
  if (QUOTE_OR_BREAK.test(line) || occurrences(line, ',') !== values.length - 1 || values.includes('')) return values.map(csvField).join(',') + '\n'
  return line + '\n'
}

/** A CSV field for COPY: NULL is an unquoted empty field; anything else is quoted when it must be. */
function csvField (value: string | null): string {
  if (value === null) return ''
  if (value === '' || MUST_QUOTE.test(value)) return `"${value.replace(/"/g, '""')}"`
  return value
}

/** Buffers rows for one staging table and loads them in batches, so memory stays flat. */
export class StagingWriter {
  private batch: StagingBatch
  /** The batch being loaded while the next one is parsed: reading and loading overlap. */
  private inFlight: Promise<void> = Promise.resolve()
  rows = 0

  constructor (private readonly session: ImportSession, readonly table: string, readonly columns: string[], private readonly batchSize = 20_000) {
    this.batch = session.batch()
  }

  add (values: Array<string | null>): Promise<void> | undefined {
    this.batch.add(values)
    this.rows++
    return this.batch.size >= this.batchSize ? this.send() : undefined
  }

  /** Waits for the previous batch (so at most two are in memory), then starts this one without waiting for it. */
  private async send (): Promise<void> {
    const batch = this.batch
    this.batch = this.session.batch()
    await this.inFlight
    const loading = batch.load(this.table, this.columns)
    loading.catch(() => {}) // surfaced by the next send() or flush()
    this.inFlight = loading
  }

  async flush (): Promise<void> {
    if (this.batch.size > 0) await this.send()
    await this.inFlight
  }
}
