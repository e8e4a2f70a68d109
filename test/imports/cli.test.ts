import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { FILE_NAMES } from '../../src/modules/imports/index.js'
import { uniqueName } from '../helper.js'
import { ROOT, TEST_DATABASE_URL } from '../support/database.js'
import { CAMPAIGN_HEADER, cleanExport, csv, period, PERIOD_HEADER, SITE_HEADER, type Export } from './fixtures.js'

const run = promisify(execFile)
const work = await mkdtemp(path.join(tmpdir(), 'import-cli-'))
t.teardown(() => rm(work, { recursive: true, force: true }))

// The CLI connects as the app does: the suite's PostgreSQL database, or an embedded directory of its own.
const env = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: TEST_DATABASE_URL ?? '', PGLITE_DATA_DIR: path.join(work, 'pglite'), TESTING: '' }

async function cli (args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', ...args], { cwd: ROOT, env, timeout: 90_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

async function writeExport (name: string, data: Export): Promise<string> {
  const dir = path.join(work, name)
  await mkdir(dir)
  await writeFile(path.join(dir, FILE_NAMES.campaigns), csv(CAMPAIGN_HEADER, data.campaigns))
  await writeFile(path.join(dir, FILE_NAMES.periods), csv(PERIOD_HEADER, data.periods))
  await writeFile(path.join(dir, FILE_NAMES.sites), csv(SITE_HEADER, data.sites))
  return dir
}

t.test('--help and usage errors', async (t) => {
  const help = await cli(['--help'])
  t.equal(help.code, 0)
  t.match(help.stdout, /--on-conflict POLICY/)
  const noCompany = await cli(['--dir', work])
  t.equal(noCompany.code, 1)
  t.match(noCompany.stderr, /--company NAME is required/)
  const badPolicy = await cli(['--company', 'x', '--dir', work, '--on-conflict', 'merge'])
  t.equal(badPolicy.code, 1)
  t.match(badPolicy.stderr, /must be reject, first or last/)
})

t.test('exit 0 when nothing is rejected (with the JSON report), 2 when rows are rejected', async (t) => {
  const company = uniqueName('cli')
  const clean = await writeExport('clean', cleanExport('cli-clean'))
  const reportFile = path.join(work, 'report.json')
  const ok = await cli(['--company', company, '--dir', clean, '--report', reportFile])
  t.equal(ok.code, 0, ok.stderr)
  t.match(ok.stdout, /campaigns +read 1, loaded 1/)
  const report = JSON.parse(await readFile(reportFile, 'utf8'))
  t.equal(report.committed, true)
  t.same(report.campaigns.accepted, ['cli-clean'])

  const defective = cleanExport('cli-bad')
  defective.periods[0] = period('cli-bad', '2025-01', 'n/a', '500')
  const bad = await writeExport('bad', defective)
  const rejected = await cli(['--company', company, '--dir', bad])
  t.equal(rejected.code, 2)
  t.match(rejected.stdout, /NOTHING was stored/)
  t.match(rejected.stdout, /add --partial/)

  const missing = await cli(['--company', company, '--dir', path.join(work, 'nowhere')])
  t.equal(missing.code, 1)
  t.match(missing.stderr, /Import failed, nothing was stored: .*no such file/i)
})

t.test('a company created for a run that stores nothing is not kept; an unwritable --report is refused before anything is stored', async (t) => {
  const company = uniqueName('cli-none')
  const defective = cleanExport('cli-none')
  defective.periods[0] = period('cli-none', '2025-01', 'n/a', '500')
  const first = await cli(['--company', company, '--dir', await writeExport('none', defective)])
  t.equal(first.code, 2)
  t.notMatch(first.stdout, /Created company/, 'the company was created inside the import transaction, which rolled back')

  const clean = await writeExport('none-clean', cleanExport('cli-none'))
  const unwritable = await cli(['--company', company, '--dir', clean, '--report', path.join(work, 'no-such-folder', 'r.json')])
  t.equal(unwritable.code, 1)
  t.match(unwritable.stderr, /--report .+ cannot write into .+no-such-folder \(does the folder exist\?\)/)
  t.notMatch(unwritable.stdout, /Created company|committed/, 'refused before connecting')

  const second = await cli(['--company', company, '--dir', clean])
  t.equal(second.code, 0, second.stderr)
  t.match(second.stdout, /Created company/, 'the first run left no company behind')
  const again = await cli(['--company', company.toUpperCase(), '--dir', clean])
  t.equal(again.code, 0, again.stderr)
  t.notMatch(again.stdout, /Created company/, 'the name is found case-insensitively: the company now exists')
})
