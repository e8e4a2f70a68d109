import path from 'node:path'
import t from 'tap'
import { sql } from 'kysely'
import { buildTestApp, createUserWithToken, openTestDatabase, uniqueName } from '../helper.js'
import { TEST_DATABASE_URL } from '../support/database.js'
import { migrateToLatest } from '../../src/db/migrator.js'
import { FILE_NAMES, importCampaignFiles } from '../../src/modules/imports/index.js'
import { SAMPLE_DATA_DIR } from '../../db/seeds/02_sample_campaigns.js'
import { findPostgresBin, ThrowawayPostgres } from './support/pg-server.js'
import { sleep, startLoad, waitFor } from './support/load.js'
import { addDatabaseProbe, outageProbes } from './support/outage-probes.js'
import type { OpenApiDocument } from './support/openapi.js'
import { acknowledgedWriter, registerThroughApi } from './support/outage-writes.js'

// The test starts its own PostgreSQL server (initdb in a temporary folder, its own port), so it
// does not depend on the suite's engine; it runs in the PostgreSQL pass of CI (or with STRESS_OUTAGE=1)
// to keep the embedded pass short.
const CONNECTION_TIMEOUT_MS = 1000
const bin = findPostgresBin()
const skip = !bin
  ? 'no PostgreSQL server binaries (initdb) under /usr/lib/postgresql: cannot start a server to stop'
  : !TEST_DATABASE_URL && !process.env.STRESS_OUTAGE
      ? 'the outage test runs in the PostgreSQL pass (TEST_DATABASE_URL set) or with STRESS_OUTAGE=1'
      : false

t.test('a database outage: fast 503s, no crash, recovery without restart, no lost or torn writes', { skip }, async (t) => {
  const server = await ThrowawayPostgres.create(bin!)
  // Teardown removes the server; these cover a process ended by tap's timeout (SIGTERM) or Ctrl-C.
  const lastResort = () => server.removeSync()
  const onSignal = (signal: NodeJS.Signals) => {
    lastResort()
    process.kill(process.pid, signal)
  }
  process.once('exit', lastResort)
  process.once('SIGTERM', onSignal)
  process.once('SIGINT', onSignal)
  t.teardown(async () => {
    await server.remove()
    process.off('exit', lastResort)
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  })
  await server.start()
  const connection = await openTestDatabase({ DATABASE_URL: server.url, DB_CONNECTION_TIMEOUT_MS: CONNECTION_TIMEOUT_MS, DB_POOL_MAX: 5 })
  await migrateToLatest(connection.db)
  const app = await buildTestApp(t, { DATABASE_URL: server.url, DB_CONNECTION_TIMEOUT_MS: String(CONNECTION_TIMEOUT_MS), HEALTH_TIMEOUT_MS: '1000' }, { connection })
  addDatabaseProbe(app)
  await app.ready()
  const doc = app.swagger() as unknown as OpenApiDocument
  const user = await createUserWithToken(app)
  const probes = outageProbes(doc, user.authorization)
  t.comment(`outage probes: ${probes.map((p) => p.label).join(', ')}`)

  // Acknowledged before the outage: direct inserts, and registrations through the API when it exists.
  const prefix = uniqueName('outage')
  const acknowledged = await app.db.insertInto('companies')
    .values(Array.from({ length: 20 }, (_, i) => ({ name: `${prefix}-before-${i}` }))).returning('id').execute()
  const registered = await registerThroughApi(app, doc, 3)
  // An import (the sample exports of db/sample-data, through the importer) into a company of its own.
  const importCompany = await app.db.insertInto('companies').values({ name: uniqueName('outage-import') }).returning('id').executeTakeFirstOrThrow()
  const files = Object.fromEntries(Object.entries(FILE_NAMES).map(([kind, name]) => [kind, path.join(SAMPLE_DATA_DIR, name)])) as Record<keyof typeof FILE_NAMES, string>
  const imported = await importCampaignFiles(connection, { companyId: importCompany.id, files, partial: true })
  t.ok(imported.committed && imported.campaigns.accepted.length > 0, `the import before the outage committed ${imported.campaigns.accepted.length} campaigns`)

  const load = startLoad(app, probes, 4)
  const writer = acknowledgedWriter(app.db, `${prefix}-pair`)
  await sleep(1000)
  const before = load.samples.filter((s) => s.status >= 300)
  t.same(before.map((s) => `${s.label} ${s.status}`), [], 'with the database up, every probe answers 2xx')

  // A transaction in flight when the server dies: company and user inserted, not yet committed.
  const inFlightName = `${prefix}-in-flight`
  const inFlight = app.db.transaction().execute(async (trx) => {
    const company = await trx.insertInto('companies').values({ name: inFlightName }).returning('id').executeTakeFirstOrThrow()
    await trx.insertInto('users').values({ company_id: company.id, email: `${inFlightName}@example.com`, password_hash: 'x', role: 'owner' }).execute()
    await sql`select pg_sleep(30)`.execute(trx)
  }).then(() => 'committed', (error: Error) => `failed: ${error.message}`)
  await sleep(200)

  const stopIssued = Date.now()
  await server.stop('fast')
  const stopped = Date.now()
  const unhealthyAfter = await waitFor(async () => (await app.inject('/health')).statusCode === 503, 5000)
  t.ok(unhealthyAfter + (stopped - stopIssued) <= 2000, `/health turned 503 ${unhealthyAfter + stopped - stopIssued} ms after the stop was issued (pg_ctl took ${stopped - stopIssued} ms)`)
  t.match(await inFlight, /^failed/, 'the in-flight transaction failed with the server')
  await sleep(3000)

  const startIssued = Date.now()
  await server.start()
  const started = Date.now()
  const allAnswer = async () => {
    for (const probe of probes) if ((await app.inject(probe.request)).statusCode !== 200) return false
    return true
  }
  const recoveredAfter = await waitFor(allAnswer, 10_000)
  t.ok(recoveredAfter <= 5000, `every probe answered 200 again ${recoveredAfter} ms after the server accepted connections (start took ${started - startIssued} ms)`)
  await sleep(500)
  await load.stop()
  const pairs = await writer.stop()

  // What the clients saw while the server was down: 503 problems, fast; never another 5xx or a hang.
  const down = load.samples.filter((s) => s.start >= stopped && s.end <= startIssued)
  const wrong = down.filter((s) => s.status !== 503 || (s.label !== 'GET /health' && !/^application\/problem\+json/.test(s.contentType ?? '')))
  t.ok(down.length >= 20, `${down.length} requests were answered during the outage`)
  t.same(wrong.map((s) => `${s.label} ${s.status} ${s.body.slice(0, 120)}`), [], 'every request during the outage answered 503 (a problem document on API routes)')
  const slowest = Math.max(...down.map((s) => s.end - s.start))
  t.ok(slowest <= CONNECTION_TIMEOUT_MS + 1000, `the slowest answer during the outage took ${slowest} ms (pool connection timeout ${CONNECTION_TIMEOUT_MS} ms)`)
  const others = load.samples.filter((s) => s.status !== 503 && (s.status < 200 || s.status >= 300))
  t.same(others.map((s) => `${s.label} ${s.status} ${s.error ?? s.body.slice(0, 120)}`), [], 'over the whole run, every answer was 2xx or 503')

  // Nothing acknowledged was lost; nothing half-written exists.
  const found = await app.db.selectFrom('companies').select('id').where('id', 'in', acknowledged.map((r) => r.id)).execute()
  t.equal(found.length, acknowledged.length, `all ${acknowledged.length} companies inserted before the outage are present`)
  if (registered.length > 0) {
    const users = await app.db.selectFrom('users').select('email').where('email', 'in', registered).execute()
    t.equal(users.length, registered.length, `all ${registered.length} users registered through the API before the outage are present`)
  }
  const importedNames = (await app.db.selectFrom('campaigns').select('name').where('company_id', '=', importCompany.id).execute()).map((r) => r.name).sort()
  t.same(importedNames, [...imported.campaigns.accepted].sort(), `all ${imported.campaigns.accepted.length} campaigns imported before the outage are present, and no other`)
  const torn = await sql<{ name: string, users: number }>`
    select c.name, count(u.id)::int as users from companies c left join users u on u.company_id = c.id
    where c.name like ${`${prefix}-%`} and c.name not like ${`${prefix}-before-%`} group by c.name having count(u.id) <> 1`.execute(app.db)
  t.same(torn.rows, [], 'every company written together with its user has exactly one user (no torn transaction)')
  const present = new Set((await app.db.selectFrom('companies').select('name').where('name', 'like', `${prefix}-pair-%`).execute()).map((r) => r.name))
  t.same(pairs.acknowledged.filter((name) => !present.has(name)), [], `all ${pairs.acknowledged.length} acknowledged company+user transactions are present (${pairs.failed} failed during the outage)`)
  const inFlightRows = await app.db.selectFrom('companies').select('id').where('name', '=', inFlightName).execute()
  t.equal(inFlightRows.length, 0, 'the transaction in flight when the server died left nothing behind')

  t.comment(`outage figures: /health 503 after ${unhealthyAfter + stopped - stopIssued} ms; ${down.length} requests during ${startIssued - stopped} ms down, all 503, slowest ${slowest} ms; recovered ${recoveredAfter} ms after restart; ${acknowledged.length + registered.length} acknowledged writes, an import of ${imported.campaigns.accepted.length} campaigns and ${pairs.acknowledged.length} acknowledged transactions kept, ${pairs.failed} refused, 0 torn`)
})
