import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { DatabaseConnection } from '../../db/engine.js'

/**
 * One client holding the import's transaction, with bulk COPY into staging tables: the one
 * documented engine branch. pg-copy-streams over PGlite's adapter kills PGlite, so there COPY
 * reads a Blob through PGlite's own API; PGlite has a single session, so that COPY runs inside
 * the transaction the adapter client opened.
 */
export type ImportSession = {
  query: <R extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<{ rows: R[], rowCount: number }>
  copy: (table: string, columns: string[], csv: string) => Promise<void>
  release: () => void
}

export async function openSession (connection: DatabaseConnection): Promise<ImportSession> {
  const client: pg.PoolClient = await connection.pool.connect()
  const query = async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => {
    const result = await client.query(text, params)
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 }
  }
  const pglite = connection.pglite
  const copy = pglite
    ? async (table: string, columns: string[], csv: string) => {
      await pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`, [], { blob: new Blob([csv]) })
    }
    : async (table: string, columns: string[], csv: string) => {
      await pipeline(Readable.from([csv]), client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`)))
    }
  return { query, copy, release: () => client.release() }
}

/** A CSV field for COPY: NULL is an unquoted empty field; anything else is quoted when it must be. */
export function csvField (value: string | null): string {
  if (value === null) return ''
  if (value === '' || /[",\r\n]/.test(value)) return `"${value.replace(/"/g, '""')}"`
  return value
}

/** Buffers rows for one staging table and COPYs them in batches, so memory stays flat. */
export class StagingWriter {
  private buffer: string[] = []
  rows = 0

  constructor (private readonly session: ImportSession, readonly table: string, readonly columns: string[], private readonly batch = 20_000) {}

  async add (values: Array<string | null>): Promise<void> {
    this.buffer.push(values.map(csvField).join(','))
    this.rows++
    if (this.buffer.length >= this.batch) await this.flush()
  }

  async flush (): Promise<void> {
    if (this.buffer.length === 0) return
    const csv = this.buffer.join('\n') + '\n'
    this.buffer = []
    await this.session.copy(this.table, this.columns, csv)
  }
}
