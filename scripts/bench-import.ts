/**
 * Import throughput against PostgreSQL's plain COPY, on the same machine and the same file:
 * (a) COPY of the sites export into a table of untyped text columns (the faster of two runs),
 * (b) the importer loading the three exports for one company, timed per phase. Prints rows/s of
 * both, their ratio (target: the importer at no less than a third of COPY) and peak RSS.
 * See BENCHMARKS.md.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { connectDatabase, type DatabaseConnection } from '../src/db/engine.js'
import { migrateToLatest } from '../src/db/migrator.js'
import { exitWithUsageError, integerOption, readCommandLine } from '../src/cli/command-line.js'
import { importCampaignFiles, type FileKind } from '../src/modules/imports/index.js'
import { copySitesFile } from './bench/copy-baseline.js'
import { copyFactsIntoConstrainedTable } from './bench/copy-facts.js'
import { openBenchDatabase, type BenchDatabase } from './bench/database.js'
import { mb, measure, perSecond, progressLine, thousands } from './bench/measure.js'
import { FILE_NAMES, SITE_COLUMNS } from './sample-data/columns.js'
import { generate } from './sample-data/generate.js'

const HELP = `Usage: npm run bench:import -- [options]

  --rows N            site rows to generate (default 1000000: 5 sites per campaign, 1-3 periods)
  --dir DIR           benchmark the three exports already in DIR instead of generating them
  --with-defects      generate with the seeded defects (default: clean, so every row loads)
  --keep-data         keep the generated files (printed path)
  --database-url URL  a THROWAWAY PostgreSQL database (default: $DATABASE_URL, else a fresh
                      bench_import_* database on postgres://postgres@127.0.0.1:5432, dropped at the end)
  --help              this text

The database is migrated, the sites file is COPYed twice into a text table (the faster run is the
reference; the table is dropped). The same files are imported into three new companies, each after
a CHECKPOINT (so connect as a superuser): with the triggers that keep the maintained figures off,
with only those of the list's figures on, and as the importer runs (all on; timed per phase).
Last, for comparison, the facts it stored are COPYed back into campaign_site_periods with all its
constraints (in a transaction that is rolled back). Peak RSS is this Node process's (not the
server's).`

const values = readCommandLine({
  rows: { type: 'string', default: '1000000' },
  dir: { type: 'string' },
  'with-defects': { type: 'boolean', default: false },
  'keep-data': { type: 'boolean', default: false },
  'database-url': { type: 'string' }
}, HELP)

const status = progressLine()

/** The exports to load: --dir, or a clean data set of about --rows site rows in a temporary folder. */
async function prepareData (rows: number, lines: string[]): Promise<{ dir: string, generated: boolean }> {
  if (values.dir) return { dir: path.resolve(values.dir), generated: false }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-import-'))
  const made = await measure(() => generate({
    seed: 1,
    campaigns: Number.MAX_SAFE_INTEGER,
    siteRows: rows,
    sitesPerCampaign: [5, 5],
    periodsPerCampaign: [1, 3],
    sitePool: 0,
    defectRate: 0.05,
    clean: !values['with-defects'],
    bom: false,
    crlf: true
  }, dir, (_, siteRows) => status.show(`generating: ${thousands(siteRows)} / ${thousands(rows)} site rows`)))
  status.clear()
  lines.push(`generated ${thousands(made.result.campaigns)} campaigns, ${thousands(made.result.files.sites.rows)} site rows in ${made.seconds.toFixed(1)} s (${dir})`)
  return { dir, generated: true }
}

async function bench (connection: DatabaseConnection, files: Record<FileKind, string>, lines: string[]) {
  await migrateToLatest(connection.db)
  const sitesBytes = (await stat(files.sites)).size
  // The faster of two runs: a server's first large write of a session (new WAL segments, a cold
  // file) can take twice as long, and a slow reference would flatter the importer.
  const copies = []
  for (const run of [1, 2]) {
    copies.push(await measure(() => copySitesFile(connection.pool, files.sites, SITE_COLUMNS.length,
      (bytes) => status.show(`COPY ${run} of 2: ${mb(bytes)} / ${mb(sitesBytes)}`))))
  }
  status.clear()
  const copy = copies.reduce((a, b) => b.seconds < a.seconds ? b : a)

  // The cost of the figures the database maintains (db/migrations/0004-0008), in one run: the
  // same import into a company with the maintaining triggers off, then with the list's figures
  // only, then with all of them on.
  const bare = await importInto(connection, files, 'without maintained figures', switchTriggers(connection, MAINTAINED_FROM))
  const listOnly = await importInto(connection, files, 'with the list figures only', switchTriggers(connection, OVERVIEW_FROM))
  const { company, imported, phases } = await importInto(connection, files, 'importer')
  status.show('COPY of the stored facts into campaign_site_periods')
  const constrained = await copyFactsIntoConstrainedTable(connection.pool, company)
  status.clear()

  // Both rates count the rows of the sites file; the importer's time also covers the other two files.
  const copyRate = perSecond(copy.result, copy.seconds)
  const importRate = perSecond(copy.result, imported.seconds)
  const ratio = importRate / copyRate
  lines.push(
    `sites file: ${thousands(copy.result)} rows, ${mb(sitesBytes)}`,
    '',
    'phase                          seconds       rows/s   peak RSS',
    `COPY sites -> text table   ${copy.seconds.toFixed(2).padStart(10)} ${thousands(copyRate).padStart(12)} ${mb(copy.peakRssBytes).padStart(10)}   (faster of ${copies.map((c) => c.seconds.toFixed(2)).join(' and ')} s)`,
    `importer (all three files) ${imported.seconds.toFixed(2).padStart(10)} ${thousands(importRate).padStart(12)} ${mb(imported.peakRssBytes).padStart(10)}`,
    ...phases.lines.map(([phase, seconds]) => `  ${phase.padEnd(24)} ${seconds.toFixed(2).padStart(10)}`),
    '',
    `importer / COPY = ${ratio.toFixed(2)} (target >= 0.33): ${ratio >= 1 / 3 ? 'meets the target' : 'BELOW the target'}`,
    `site rows stored by the importer: ${thousands(imported.result.files.sites.rowsValid)}`,
    `the same import without maintained figures (their triggers off): ${bare.imported.seconds.toFixed(2)} s`,
    `  with the list's figures only (0004: counts, zones and states on each campaign): ${listOnly.imported.seconds.toFixed(2)} s = ${(listOnly.imported.seconds / bare.imported.seconds).toFixed(2)} x without`,
    `  with all of them (the importer as it runs) / without = ${(imported.seconds / bare.imported.seconds).toFixed(2)} (target <= 1.10): ${imported.seconds <= 1.1 * bare.imported.seconds ? 'meets the target' : 'ABOVE the target'}`,
    `peak RSS of this process: ${mb(process.resourceUsage().maxRSS * 1024)}`,
    '',
    `For comparison: COPY of the ${thousands(constrained.rows)} facts the importer stored back into campaign_site_periods`,
    `(its keys, CHECKs and row-by-row foreign keys) took ${constrained.seconds.toFixed(2)} s, ${(copy.seconds / constrained.seconds).toFixed(2)} of the text-table COPY's speed;`,
    `the importer, which also reads, checks and loads campaigns, periods and sites, ran at ${(constrained.seconds / imported.seconds).toFixed(2)} of that.`
  )
}

// The tables whose statement-level triggers keep the maintained figures (not the foreign keys' triggers: `user` spares them).
const MAINTAINED_FROM = ['campaigns', 'campaign_site_periods', 'campaign_periods', 'sites']
// Those on campaigns keep the overview's aggregates and the data version (0005-0008); the others, the list's figures (0004).
const OVERVIEW_FROM = ['campaigns']

/** Turns the maintaining triggers of `tables` off (`on` false) or back on. */
const switchTriggers = (connection: DatabaseConnection, tables: string[]) => async (on: boolean) => {
  for (const table of tables) await sql`alter table ${sql.table(table)} ${sql.raw(on ? 'enable' : 'disable')} trigger user`.execute(connection.db)
}

/** The three files imported into a new company, timed per phase; `triggers(false)` before and `triggers(true)` after, if given. */
async function importInto (connection: DatabaseConnection, files: Record<FileKind, string>, label: string, triggers = async (_on: boolean) => {}) {
  const { id: company } = await connection.db.insertInto('companies').values({ name: `bench-${label}-${new Date().toISOString()}` }).returning('id').executeTakeFirstOrThrow()
  // Each import starts with the dirty pages of the one before written out, not paying for them.
  await sql`checkpoint`.execute(connection.db)
  const phases = new PhaseClock()
  await triggers(false)
  try {
    const imported = await measure(() => importCampaignFiles(connection, {
      companyId: company,
      files,
      onProgress: ({ file, rowsRead, done }) => {
        if (done) phases.end(`${file} file`)
        else if (file === 'merge') phases.end('checks')
        status.show(`${label}: ${file} ${thousands(rowsRead)} rows read`)
      }
    }))
    phases.end('merge and commit')
    return { company, imported, phases }
  } finally {
    await triggers(true)
  }
}

/** Seconds between the importer's progress milestones: where the run's time goes. */
class PhaseClock {
  readonly lines: Array<[string, number]> = []
  private last = performance.now()

  end (phase: string): void {
    const now = performance.now()
    this.lines.push([phase, (now - this.last) / 1000])
    this.last = now
  }
}

async function main (): Promise<number> {
  const rows = values.dir ? 0 : integerOption('--rows', values.rows, 1)
  const lines: string[] = []
  const data = await prepareData(rows, lines)
  const files = {
    campaigns: path.join(data.dir, FILE_NAMES.campaigns),
    periods: path.join(data.dir, FILE_NAMES.periods),
    sites: path.join(data.dir, FILE_NAMES.sites)
  }
  // Before a database is created for nothing.
  const missing = Object.values(files).filter((file) => !existsSync(file))
  if (missing.length > 0) exitWithUsageError(`--dir ${data.dir} does not hold the three exports: missing ${missing.map((file) => path.basename(file)).join(', ')}.`)
  let db: BenchDatabase | undefined
  let connection: DatabaseConnection | undefined
  try {
    db = await openBenchDatabase(values['database-url'] ?? process.env.DATABASE_URL)
    lines.push(`database ${db.url}${db.created ? ' (created for this run, dropped at the end)' : ''}`)
    connection = await connectDatabase({
      DATABASE_URL: db.url, TESTING: false, PGLITE_DATA_DIR: '', DB_POOL_MAX: 2, DB_CONNECTION_TIMEOUT_MS: 10_000, DB_STATEMENT_TIMEOUT_MS: 0
    })
    await bench(connection, files, lines)
    process.stdout.write(lines.join('\n') + '\n')
    return 0
  } catch (error) {
    status.clear()
    // A server, connection or SQL failure is said in one line; a programming error keeps its stack.
    const known = !(error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError)
    process.stderr.write(`bench-import failed: ${known ? (error as Error).message : (error as Error).stack ?? String(error)}\n`)
    return 1
  } finally {
    await connection?.close()
    await db?.drop()
    if (data.generated && !values['keep-data']) await rm(data.dir, { recursive: true, force: true })
  }
}

process.exit(await main())
