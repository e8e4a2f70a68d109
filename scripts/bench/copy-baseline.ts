import { createReadStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

/**
 * The reference: PostgreSQL's own COPY of the sites file into a table of untyped text columns,
 * nothing parsed or checked. Returns the rows loaded; the table is dropped afterwards.
 */
export async function copySitesFile (pool: pg.Pool, file: string, columns: number, onBytes: (bytes: number) => void): Promise<number> {
  const client = await pool.connect()
  try {
    const list = Array.from({ length: columns }, (_, i) => `c${i + 1} text`).join(', ')
    await client.query('drop table if exists bench_copy_staging')
    await client.query(`create table bench_copy_staging (${list})`)
    let bytes = 0
    const counter = new Transform({
      transform (chunk: Buffer, _encoding, done) {
        bytes += chunk.length
        onBytes(bytes)
        done(null, chunk)
      }
    })
    const copy = client.query(copyFrom('copy bench_copy_staging from stdin with (format csv, header true)'))
    await pipeline(createReadStream(file), counter, copy)
    return copy.rowCount
  } finally {
    await client.query('drop table if exists bench_copy_staging').catch(() => {})
    client.release()
  }
}
