import t from 'tap'
import { PassThrough } from 'node:stream'
import { findDrift } from '../../src/modules/analytics/figures-check.js'
import { findFlightDrift, findTypeCountDrift } from '../../src/modules/analytics/flights-check.js'
import { findZoneDrift } from '../../src/modules/analytics/zones-check.js'
import { importCampaignFiles } from '../../src/modules/imports/index.js'
import { ENGINE, buildTestApp, createUserWithToken, openTestDatabase } from '../helper.js'
import { campaign, csv, period, runImport, site, streams, CAMPAIGN_HEADER, type Export } from '../imports/fixtures.js'

// Concurrent writers in one company: two imports (the second waits on the first's advisory lock
// while its files are read) and a PATCH, all at once. PGlite has one connection, so nothing there
// runs at the same time: PostgreSQL only.

const months = (name: string) => [period(name, '2025-01', '1500', '500'), period(name, '2025-02', '1500', '500')]

t.test('two imports and a patch at once leave every maintained figure exact', { skip: ENGINE !== 'postgres' && 'PostgreSQL only (TEST_DATABASE_URL)' }, async (t) => {
  // Five writers connect at once on a machine the suite keeps busy: a connection may take longer than the 2 s default to open.
  const connection = await openTestDatabase({ DB_CONNECTION_TIMEOUT_MS: 20_000 })
  const app = await buildTestApp(t, {}, { connection })
  const user = await createUserWithToken(app, { role: 'admin' })
  const first: Export = {
    campaigns: [campaign('Uno', { sites: '2' }), campaign('Dos')],
    periods: [...months('Uno'), ...months('Dos')],
    sites: [site('Uno', 'A', '2025-01', { zm: 'Monterrey', estado: 'Nuevo León' }), site('Uno', 'B', '2025-01'), site('Dos', 'B', '2025-02')]
  }
  // The second moves site B to Guadalajara (Uno's and Dos's zones change with it) and drops Uno's site A.
  const second: Export = {
    campaigns: [campaign('Uno'), campaign('Tres')],
    periods: [...months('Uno'), ...months('Tres')],
    sites: [site('Uno', 'B', '2025-01', { zm: 'Guadalajara', estado: 'Jalisco' }), site('Tres', 'C', '2025-01', { zm: 'Tijuana', estado: 'Baja California' })]
  }
  // Aparte has a fact at site A, which both imports write too; the patch moves Aparte to another type and flight.
  const aparte: Export = { campaigns: [campaign('Aparte')], periods: months('Aparte'), sites: [site('Aparte', 'A', '2025-02', { zm: 'Monterrey', estado: 'Nuevo León' })] }
  t.equal((await runImport(app.database, user.companyId, aparte, { partial: true })).committed, true)

  // The first import's campaigns file is still arriving while the others start.
  const slow = new PassThrough()
  const running = importCampaignFiles(app.database, { companyId: user.companyId, files: { ...streams(first), campaigns: slow }, partial: true })
  slow.write(csv(CAMPAIGN_HEADER, []))
  await new Promise((resolve) => setTimeout(resolve, 300))
  const queued = importCampaignFiles(app.database, { companyId: user.companyId, files: streams(second), partial: true })
  const patch = (payload: object) => app.inject({ method: 'PATCH', url: '/v2/campaigns/Aparte', payload, headers: { authorization: user.authorization } })
  const patched = patch({ alcance: 42, tipo_campania: 'catorcenal', fecha_fin: '2025-03-31' })
  setTimeout(() => slow.end(csv(CAMPAIGN_HEADER, first.campaigns).split('\n').slice(1).join('\n')), 1000)
  const [a, b, p] = await Promise.all([running, queued, patched])
  t.equal(a.committed, true, 'the first import committed')
  t.equal(b.committed, true, 'the second import committed')
  t.equal(p.statusCode, 200)

  t.same(await findDrift(app.db, user.companyId), [], 'every figure equals a full recomputation')
  t.same(await findFlightDrift(app.db, user.companyId), [], 'so do the flight totals')
  t.same(await findTypeCountDrift(app.db, user.companyId), [], 'the counts per type')
  t.same(await findZoneDrift(app.db, user.companyId), [], 'and the by_zm aggregates')
  const rows = await app.db.selectFrom('campaigns').select(['name', 'sites_count', 'periods_count', 'zms', 'estados'])
    .where('company_id', '=', user.companyId).orderBy('name').execute()
  t.same(rows, [
    { name: 'Aparte', sites_count: 1, periods_count: 2, zms: ['Monterrey'], estados: ['Nuevo León'] },
    { name: 'Dos', sites_count: 1, periods_count: 2, zms: ['Guadalajara'], estados: ['Jalisco'] },
    { name: 'Tres', sites_count: 1, periods_count: 2, zms: ['Tijuana'], estados: ['Baja California'] },
    { name: 'Uno', sites_count: 1, periods_count: 2, zms: ['Guadalajara'], estados: ['Jalisco'] }
  ])
})
