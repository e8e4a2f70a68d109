import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { FILE_NAMES } from '../../src/modules/imports/index.js'
import { pathToFileURL } from 'node:url'
import { sampleDataDir, SAMPLE_DATA_DIR, seed, seedSampleCampaigns, seedSummaryLine } from '../../db/seeds/02_sample_campaigns.js'
import { ROOT } from '../support/database.js'
import { openTestDatabase, testConfig } from '../helper.js'
import { dumpCompany, newCompany } from './fixtures.js'

const connection = await openTestDatabase()
t.teardown(() => connection.close())

t.test('the seed finds db/sample-data from the sources and from the compiled seed in dist/, which the build does not copy it into', async (t) => {
  const data = path.join(ROOT, 'db/sample-data')
  t.equal(SAMPLE_DATA_DIR, data)
  t.equal(sampleDataDir(pathToFileURL(path.join(ROOT, 'db/seeds/02_sample_campaigns.ts'))), data, 'the sources')
  t.equal(sampleDataDir(pathToFileURL(path.join(ROOT, 'dist/db/seeds/02_sample_campaigns.js'))), data, 'the compiled seed (Render\'s seed job, the image\'s first start)')
})

t.test('without sample files the seed says what to run and stores nothing', async (t) => {
  const empty = await mkdtemp(path.join(tmpdir(), 'seed-'))
  t.teardown(() => rm(empty, { recursive: true, force: true }))
  const companyId = await newCompany(connection)
  const warnings: string[] = []
  const warn = console.warn
  console.warn = (message: string) => { warnings.push(message) }
  t.teardown(() => { console.warn = warn })
  t.equal(await seedSampleCampaigns(connection, { companyId, dir: empty }), undefined)
  t.match(warnings, [/generate-sample-data/])
  t.same((await dumpCompany(connection, companyId)).campaigns, [])
})

const present = Object.values(FILE_NAMES).every((name) => existsSync(path.join(SAMPLE_DATA_DIR, name)))

t.test('the sample data seeds through the importer, and seeding again changes nothing', { skip: present ? false : `no sample data in ${SAMPLE_DATA_DIR} yet (scripts/generate-sample-data.ts writes it)` }, async (t) => {
  const companyId = await newCompany(connection)
  const first = await seedSampleCampaigns(connection.db, { companyId })
  t.equal(first?.committed, true)
  t.ok(first!.campaigns.accepted.length > 0)
  t.ok(first!.rejections.every((r) => r.reason.length > 0), 'every rejection has a reason')
  const before = await dumpCompany(connection, companyId)
  await seedSampleCampaigns(connection.db, { companyId })
  t.same(await dumpCompany(connection, companyId), before)
  // The start-up's one line: the counts, and that the warnings are the data's deliberate defects.
  const line = seedSummaryLine(first!, '.data/sample-data-report.json')
  t.notMatch(line, /\n/, 'one line')
  t.match(line, `Sample campaigns: ${first!.campaigns.accepted.length} loaded from db/sample-data, which carries deliberate defects (${first!.repairs.length} cells repaired, ${first!.conflicts.length} conflicts and ${first!.warnings.length} warnings, all expected); the import report is in .data/sample-data-report.json.`)
})

t.test('every frecuencia_calculada the generator broke (manifest.json) is recovered to its true value', { skip: present ? false : 'no sample data' }, async (t) => {
  const manifest = JSON.parse(readFileSync(path.join(SAMPLE_DATA_DIR, 'manifest.json'), 'utf8')) as { defects: Array<{ file: string, line: number, column: string, raw: string, trueValue: string }> }
  const broken = manifest.defects.filter((d) => d.column === 'frecuencia_calculada')
  t.ok(broken.length > 0, 'the sample data has such defects')
  const report = await seedSampleCampaigns(connection.db, { companyId: await newCompany(connection) })
  const repairs = report!.repairs.filter((r) => r.column === 'frecuencia_calculada')
  t.same(repairs.map((r) => [r.line, r.raw, Number(r.recovered)]), broken.map((d) => [d.line, d.raw, Number(d.trueValue)]))
  t.same(report!.warnings.filter((w) => w.code === 'frequency-mismatch'), [], 'no other frequency contradicts its campaign')
})

t.test('production seeds no sample campaigns: demo data has no place in a customer\'s tenant', async (t) => {
  const campaigns = () => connection.db.selectFrom('campaigns').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  const before = await campaigns()
  const said: string[] = []
  const log = { info: (message: string) => { said.push(message) }, debug: (message: string) => { said.push(message) } }
  await seed(connection.db, { log }, testConfig({ ENV: 'production', DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused' }))
  t.same(await campaigns(), before)
  t.match(said, [/^Sample campaigns not seeded: ENV=production\. To load them anyway \(a demo\): npm run import/])
})
