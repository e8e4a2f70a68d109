import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { connectDatabase } from '../../src/db/engine.js'
import { FILE_NAMES } from '../../src/modules/imports/index.js'
import { uniqueName } from '../helper.js'
import { DATABASE_DEFAULTS, ROOT, TEST_DATABASE_URL } from '../support/database.js'
import { CAMPAIGN_HEADER, cleanExport, csv, PERIOD_HEADER, SITE_HEADER } from '../imports/fixtures.js'

// Issue 22, finding 6: `npm run import -- --company VictimCorp` imported into a company an attacker
// had registered as "victimcorp", who then read the campaigns.
const run = promisify(execFile)
const work = await mkdtemp(path.join(tmpdir(), 'import-tenant-'))
t.teardown(() => rm(work, { recursive: true, force: true }))
const dataDir = path.join(work, 'pglite')
const env = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: TEST_DATABASE_URL ?? '', PGLITE_DATA_DIR: dataDir, TESTING: '' }

async function cli (args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', ...args], { cwd: ROOT, env, timeout: 90_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** The CLI's own database, opened only between its runs (PGlite directories take one process at a time). */
async function withCliDatabase<T> (use: (db: Awaited<ReturnType<typeof connectDatabase>>['db']) => Promise<T>): Promise<T> {
  const connection = await connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: TEST_DATABASE_URL, PGLITE_DATA_DIR: dataDir, TESTING: false })
  try {
    return await use(connection.db)
  } finally {
    await connection.close()
  }
}

t.test('--company NAME refuses a company that has users, and --company-id imports into it', async (t) => {
  const company = uniqueName('VictimCorp')
  const dir = path.join(work, 'export')
  await mkdir(dir)
  const data = cleanExport(uniqueName('campana'))
  await writeFile(path.join(dir, FILE_NAMES.campaigns), csv(CAMPAIGN_HEADER, data.campaigns))
  await writeFile(path.join(dir, FILE_NAMES.periods), csv(PERIOD_HEADER, data.periods))
  await writeFile(path.join(dir, FILE_NAMES.sites), csv(SITE_HEADER, data.sites))

  const first = await cli(['--company', company, '--dir', dir])
  t.equal(first.code, 0, first.stderr)
  t.match(first.stdout, /Created company/)
  // Someone registers an account in it (as a squatter's registration would have made it).
  const { id } = await withCliDatabase(async (db) => {
    const found = await db.selectFrom('companies').select('id').where('name', '=', company).executeTakeFirstOrThrow()
    await db.insertInto('users').values({ company_id: found.id, email: `${uniqueName('squatter')}@example.com`.toLowerCase(), password_hash: 'x', role: 'owner' }).execute()
    return found
  })

  const refused = await cli(['--company', company.toLowerCase(), '--dir', dir])
  t.equal(refused.code, 1)
  t.match(refused.stderr, new RegExp(`already exists and has 1 user.*nothing was stored.*--company-id ${id}`))
  t.notMatch(refused.stdout, /committed|loaded/)

  const byId = await cli(['--company-id', String(id), '--dir', dir])
  t.equal(byId.code, 0, byId.stderr)
  t.notMatch(byId.stdout, /Created company/)

  const unknown = await cli(['--company-id', '999999999999', '--dir', dir])
  t.equal(unknown.code, 1)
  t.match(unknown.stderr, /No company has id 999999999999/)
  const both = await cli(['--company', company, '--company-id', String(id), '--dir', dir])
  t.equal(both.code, 1)
  t.match(both.stderr, /--company NAME or --company-id ID, not both/)
  const notDigits = await cli(['--company-id', '0x4', '--dir', dir])
  t.match(notDigits.stderr, /--company-id must be/)
})
