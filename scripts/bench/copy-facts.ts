import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'

/**
 * A second reference: PostgreSQL's own COPY of the rows the importer stored in
 * campaign_site_periods back into that table, with its primary key, index, CHECKs and both
 * foreign keys (checked row by row, for COPY as for INSERT). No importer that keeps those
 * constraints can load the facts faster. The rows are written to a file, the table is emptied
 * and loaded inside a transaction that is rolled back, so the database is left as it was.
 * Returns the seconds of the COPY alone.
 */
export async function copyFactsIntoConstrainedTable (pool: pg.Pool, companyId: number): Promise<{ rows: number, seconds: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-facts-'))
  const file = path.join(dir, 'facts.csv')
  const client = await pool.connect()
  try {
    await pipeline(client.query(copyTo(`copy (select * from campaign_site_periods where company_id = ${Number(companyId)}) to stdout with (format csv)`)), createWriteStream(file))
    await client.query('begin')
    // An empty table, as the importer found it; TRUNCATE is transactional, so the rollback restores it.
    await client.query('truncate campaign_site_periods')
    const started = performance.now()
    const copy = client.query(copyFrom('copy campaign_site_periods from stdin with (format csv)'))
    await pipeline(createReadStream(file), copy)
    const seconds = (performance.now() - started) / 1000
    return { rows: copy.rowCount, seconds }
  } finally {
    await client.query('rollback').catch(() => {})
    client.release()
    await rm(dir, { recursive: true, force: true })
  }
}
