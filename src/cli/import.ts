// Imports a customer's three CSV exports into one company: `npm run import -- --company NAME --dir PATH`.
// First: on a Node.js older than the supported range, the first line said is which one is needed.
import '../node-version.js'
import { constants } from 'node:fs'
import { access, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ConfigError, loadProcessConfig } from '../config.js'
import { connectDatabase } from '../db/engine.js'
import { migrateToLatest } from '../db/migrator.js'
import { exitWithUsageError, readCommandLine } from './command-line.js'
import { progress } from './progress.js'
import { NOT_MIGRATED } from './with-database.js'
import { companyById, companyByName } from '../modules/companies/repository.js'
import { FILE_NAMES, ImportFileError, importCampaignFiles, summarise, type FileKind } from '../modules/imports/index.js'

const HELP = `Usage: npm run import -- (--company NAME | --company-id ID) (--dir PATH | --campaigns F --periods F --sites F) [options]

Imports the three exports (${Object.values(FILE_NAMES).join(', ')}) into the company
NAME (created, within the import, when it does not exist) on DATABASE_URL, or on the embedded
database when unset. A company of that name that already has users is refused: anyone can
register a company, so its name says nothing of whose it is; give its id with --company-id.

The whole run is one transaction: by default, if any row is rejected NOTHING is stored.

  --company NAME         a new company (tenant) to own the campaigns, or one that has no users yet
  --company-id ID        an existing company, by its id (companies.id)
  --dir PATH             folder holding the three files under their export names
  --campaigns FILE       the campaigns file (overrides --dir)
  --periods FILE         the periods file (overrides --dir)
  --sites FILE           the sites file (overrides --dir)
  --report FILE          write the full report (every repair, rejection, conflict, warning) as JSON
  --partial              store the accepted campaigns even when others are rejected
  --on-conflict POLICY   one campaign (or period, or site row) with two different versions:
                           reject  reject that campaign (default)
                           first   keep the version of the first row for that key
                           last    keep the version of the last row for that key (rows A, B, A keep A)
                         the versions not kept are listed under "conflicts" either way
  --help                 show this text

Exit status: 0 nothing rejected; 2 rows were rejected (stored only with --partial); 1 the import failed.
Importing the same files again changes nothing; a corrected file updates the stored figures.`

const options = {
  company: { type: 'string' },
  'company-id': { type: 'string' },
  dir: { type: 'string' },
  campaigns: { type: 'string' },
  periods: { type: 'string' },
  sites: { type: 'string' },
  report: { type: 'string' },
  partial: { type: 'boolean' },
  'on-conflict': { type: 'string' }
} as const

function fail (message: string): never {
  console.error(message)
  process.exit(1)
}

const values = readCommandLine(options, HELP)
if (!values.company && !values['company-id']) exitWithUsageError('--company NAME is required (or --company-id ID for an existing company).')
if (values.company && values['company-id']) exitWithUsageError('Give --company NAME or --company-id ID, not both.')
const companyId = values['company-id'] === undefined ? undefined : Number(values['company-id'])
if (companyId !== undefined && !/^[1-9][0-9]{0,14}$/.test(values['company-id'] ?? '')) exitWithUsageError(`--company-id must be a company's id, in digits (got "${values['company-id']}").`)
const policy = values['on-conflict'] ?? 'reject'
if (policy !== 'reject' && policy !== 'first' && policy !== 'last') exitWithUsageError(`--on-conflict must be reject, first or last (got "${policy}").`)
const files = {} as Record<FileKind, string>
for (const kind of Object.keys(FILE_NAMES) as FileKind[]) {
  const file = values[kind] ?? (values.dir ? path.join(values.dir, FILE_NAMES[kind]) : undefined)
  if (!file) exitWithUsageError(`No ${kind} file: give --dir PATH or --${kind} FILE.`)
  files[kind] = file
}

// Checked before importing: a report that cannot be written must not turn a committed import into a failure.
if (values.report) {
  const folder = path.dirname(path.resolve(values.report))
  await access(folder, constants.W_OK).catch(() => exitWithUsageError(`--report ${values.report}: cannot write into ${folder} (does the folder exist?).`))
}

const { show, clear } = progress()

try {
  const connection = await connectDatabase(loadProcessConfig())
  try {
    if (connection.engine === 'pglite') await migrateToLatest(connection.db)
    let existed = true
    if (companyId !== undefined) {
      if (!await companyById(connection.db, companyId)) fail(`No company has id ${companyId}: nothing was stored.`)
    } else {
      const named = await companyByName(connection.db, values.company!)
      existed = named !== undefined
      // Tenants by identity, not by name (issue 22): "VictimCorp" may have been registered by anyone.
      if (named && named.users > 0) fail(`A company named "${values.company}" (id ${named.id}) already exists and has ${named.users} user(s): nothing was stored. If it is the one you mean, run again with --company-id ${named.id}.`)
    }
    const report = await importCampaignFiles(connection, {
      // Created inside the import's transaction when it does not exist: a run that stores nothing leaves no company behind.
      ...(companyId !== undefined ? { companyId } : { companyName: values.company! }),
      files,
      partial: values.partial ?? false,
      conflictPolicy: policy,
      onProgress: (p) => show(p.file === 'merge' ? 'storing…' : `${p.file}: ${p.rowsRead.toLocaleString('en')} rows${p.done ? ' read' : '…'}`)
    })
    clear()
    if (!existed && report.committed) console.log(`Created company "${values.company}" (id ${report.companyId}).`)
    console.log(summarise(report))
    const rejected = Object.values(report.files).some((s) => s.rowsRejected > 0)
    if (rejected && !report.committed) console.log('Fix the rejected rows and run again, or add --partial to store the accepted campaigns (or --on-conflict first|last for conflicts).')
    process.exitCode = rejected ? 2 : 0
    if (values.report) {
      await writeFile(values.report, JSON.stringify(report, null, 2) + '\n').then(
        () => console.log(`Full report: ${values.report}`),
        (error: Error) => {
          console.error(`The report could not be written (${error.message}); the import itself ${report.committed ? 'was committed' : 'stored nothing'}.`)
          process.exitCode = 1
        }
      )
    }
  } finally {
    await connection.close()
  }
} catch (error) {
  clear()
  if (error instanceof ConfigError) fail(error.message)
  if (error instanceof ImportFileError) fail(`Import failed, nothing was stored: ${error.message}`)
  const code = (error as NodeJS.ErrnoException).code
  if (code === '42P01') fail(`Import failed, nothing was stored: ${NOT_MIGRATED}`)
  if (code === 'ENOENT') fail(`Import failed, nothing was stored: ${(error as Error).message}. Check --dir or the file flags.`)
  fail(`Import failed, nothing was stored: ${(error as Error).message}`)
}
