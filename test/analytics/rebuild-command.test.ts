import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { connectDatabase } from '../../src/db/engine.js'
import { migrateToLatest } from '../../src/db/migrator.js'
import { DATABASE_DEFAULTS, ROOT } from '../support/database.js'

// npm run analytics:rebuild on an embedded database of its own, as an operator would run it after a restore.
const run = promisify(execFile)
// Each run starts Node, tsx and the embedded engine: on a busy CI machine that took minutes, past tap's default for a file.
t.setTimeout(1_200_000)
const work = await mkdtemp(path.join(tmpdir(), 'rebuild-'))
t.teardown(() => rm(work, { recursive: true, force: true }))
const dir = path.join(work, 'db')
const env = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', TESTING: '', TEST_DATABASE_URL: '', PGLITE_DATA_DIR: dir }

async function cli (script: string, args: string[] = []) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, timeout: 300_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

t.test('the rebuild reports and corrects the figures that differ from a full recomputation, and then finds nothing', async (t) => {
  // Figures written behind the triggers' back, as a restore that skipped them could leave them.
  const connection = await connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: undefined, TESTING: false, PGLITE_DATA_DIR: dir })
  await migrateToLatest(connection.db)
  const company = await connection.db.insertInto('companies').values({ name: 'Restored' }).returning('id').executeTakeFirstOrThrow()
  await connection.db.insertInto('campaigns').values({ company_id: company.id, name: 'Vieja', tipo_campania: 'mensual', fecha_inicio: '2025-01-01', fecha_fin: '2025-01-31', sites_count: 5, zms: ['Monterrey'] }).execute()
  await connection.db.updateTable('campaign_type_counts').set({ campaigns: 3 }).where('company_id', '=', company.id).execute()
  await connection.db.insertInto('type_zone_counts').values({ company_id: company.id, tipo_campania: 'mensual', zm: 'Monterrey', campaigns: 1 }).execute()
  await connection.close()

  const dry = await cli('src/cli/rebuild-analytics.ts', ['--dry-run'])
  t.equal(dry.code, 0, dry.stderr)
  t.match(dry.stdout, `differs: company ${company.id} campaign "Vieja": sites_count 5 -> 0, zms ["Monterrey"] -> []`)
  t.match(dry.stdout, /1 campaign\(s\) of every company differ from a full recomputation \(dry run: nothing changed\)/)
  t.match(dry.stdout, `differs: company ${company.id} campaigns of type mensual: 3 -> 1`)
  t.match(dry.stdout, `differs: type_zone_counts {"company_id":${company.id},"tipo_campania":"mensual","with_zm":null,"with_estado":null,"zm":"Monterrey"}: {"campaigns":1} -> {"campaigns":0}`)
  // Written with a zone but no facts, the campaign also counts, wrongly, in that zone's selection totals.
  t.match(dry.stdout, `differs: flight_selection_totals {"company_id":${company.id},"tipo_campania":"mensual","fecha_inicio":"2025-01-01","fecha_fin":"2025-01-31","with_zm":"Monterrey","with_estado":null}`)
  t.match(dry.stdout, /2 zone figure\(s\) of every company differ \(dry run: nothing changed\)/)

  const fixed = await cli('src/cli/rebuild-analytics.ts', ['--company-id', String(company.id)])
  t.equal(fixed.code, 0, fixed.stderr)
  t.match(fixed.stdout, `corrected: company ${company.id} campaign "Vieja": sites_count 5 -> 0, zms ["Monterrey"] -> []`)
  t.match(fixed.stdout, `1 campaign(s) of company ${company.id} corrected from a full recomputation`)
  t.match(fixed.stdout, `corrected: company ${company.id} campaigns of type mensual: 3 -> 1`)
  t.match(fixed.stdout, `corrected: type_zone_counts {"company_id":${company.id},"tipo_campania":"mensual","with_zm":null,"with_estado":null,"zm":"Monterrey"}`)

  const again = await cli('src/cli/rebuild-analytics.ts')
  t.equal(again.code, 0, again.stderr)
  t.match(again.stdout, /Campaign figures of every company match a full recomputation: nothing to correct/)
  t.match(again.stdout, /Campaign counts per type of every company match their campaigns\./)
  t.match(again.stdout, /Overview zone figures of every company match their facts\./)
  t.notMatch(again.stdout, /corrected:/)
})

t.test('a bad --company-id is a usage error (exit 2) before any database is opened', async (t) => {
  for (const value of ['', '0', 'abc']) {
    const result = await cli('src/cli/rebuild-analytics.ts', ['--company-id', value])
    t.equal(result.code, 2, `--company-id "${value}"`)
    t.match(result.stderr, /--company-id must be an integer >= 1/)
  }
})
