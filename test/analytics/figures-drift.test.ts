import { isDeepStrictEqual } from 'node:util'
import t from 'tap'
import fc from 'fast-check'
import { findDrift, rebuildFigures, type Drift } from '../../src/modules/analytics/figures-check.js'
import { findFlightDrift, findTypeCountDrift, rebuildFlights, rebuildTypeCounts } from '../../src/modules/analytics/flights-check.js'
import { findZoneDrift, rebuildZones } from '../../src/modules/analytics/zones-check.js'
import { overview } from '../../src/modules/analytics/service.js'
import { ENGINE, buildTestApp, createUserWithToken } from '../helper.js'
import { campaign, period, runImport, site, type Export } from '../imports/fixtures.js'

// Random sequences of every write that changes a campaign's maintained figures (create, patch,
// rename, delete through the API; imports that add, replace and drop facts and periods, and move
// a site to another zone or state), each followed by a full recomputation that must find nothing,
// and by the overview as served (its answers are kept per data version) against one computed afresh.

const NAMES = ['Alfa', 'Beta', 'Gamma', 'Delta']
const CODES = ['S1', 'S2', 'S3', 'S4', 'S5']
const ZONES = [['Monterrey', 'Nuevo León'], ['Guadalajara', 'Jalisco'], ['Valle de Mexico', 'Ciudad de Mexico'], ['', '']] as const
// One query of each path the overview takes (docs/maintained-figures.md).
const OVERVIEW_QUERIES = [{}, { tipo_campania: 'mensual' }, { zm: 'Monterrey' }, { estado: 'Jalisco', start_date: '2025-02-01' }, { q: 'a' }, { zm: 'Guadalajara', estado: 'Jalisco' }] as const

type Op =
  | { kind: 'create', name: string }
  | { kind: 'patch', name: string, alcance: number }
  | { kind: 'rename', name: string, to: string }
  | { kind: 'delete', name: string }
  | { kind: 'import', campaigns: Array<{ name: string, codes: string[], catorcenas: string[], months: string[] }>, zoneOf: number[] }

const name = fc.constantFrom(...NAMES)
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), name }),
  fc.record({ kind: fc.constant('patch' as const), name, alcance: fc.integer({ min: 0, max: 10_000 }) }),
  fc.record({ kind: fc.constant('rename' as const), name, to: name }),
  fc.record({ kind: fc.constant('delete' as const), name }),
  fc.record({
    kind: fc.constant('import' as const),
    campaigns: fc.uniqueArray(fc.record({
      name,
      codes: fc.uniqueArray(fc.constantFrom(...CODES), { minLength: 0, maxLength: 3 }),
      catorcenas: fc.subarray(['2025-01', '2025-02'], { minLength: 1 }),
      months: fc.subarray(['2025-01', '2025-02'], { minLength: 1 })
    }), { minLength: 1, maxLength: 3, selector: (c) => c.name }),
    // The zone (and state) of each site code in this import: a later import can move a site.
    zoneOf: fc.array(fc.integer({ min: 0, max: ZONES.length - 1 }), { minLength: CODES.length, maxLength: CODES.length })
  })
)

function exportOf (o: Extract<Op, { kind: 'import' }>): Export {
  const zone = (code: string) => ZONES[o.zoneOf[CODES.indexOf(code)]]
  return {
    campaigns: o.campaigns.map((c) => campaign(c.name, { sites: String(c.codes.length), periods: c.months.join(',') })),
    periods: o.campaigns.flatMap((c) => c.months.map((m) => period(c.name, m, '1500', '500'))),
    sites: o.campaigns.flatMap((c) => c.codes.flatMap((code) => c.catorcenas.map((k) => site(c.name, code, k, { zm: zone(code)[0], estado: zone(code)[1] }))))
  }
}

t.test(`after every write of a random sequence, the maintained figures equal a full recomputation (${ENGINE})`, async (t) => {
  const app = await buildTestApp(t)
  let writes = 0
  let imported = 0
  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 7 }), async (ops) => {
    const user = await createUserWithToken(app, { role: 'admin' })
    const request = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      app.inject({ method, url, payload, headers: { authorization: user.authorization } })
    const checkOverviews = async (after: string) => {
      for (const query of OVERVIEW_QUERIES) {
        const served = await app.inject({ url: `/v2/analytics/overview?${new URLSearchParams(query)}`, headers: { authorization: user.authorization } })
        const computed = JSON.parse(JSON.stringify(await overview(app.db, user.companyId, query)))
        if (!isDeepStrictEqual(served.json(), computed)) throw new Error(`after ${after}, the overview ${JSON.stringify(query)} served ${served.body}, computed ${JSON.stringify(computed)}`)
      }
    }
    await checkOverviews('no write')
    for (const o of ops) {
      if (o.kind === 'create') await request('POST', '/v2/campaigns', { name: o.name, tipo_campania: 'mensual', fecha_inicio: '2025-01-01', fecha_fin: '2025-02-28', impactos_personas: 7 })
      else if (o.kind === 'patch') await request('PATCH', `/v2/campaigns/${o.name}`, { alcance: o.alcance, tipo_campania: o.alcance % 2 ? 'catorcenal' : 'mensual', fecha_fin: `2025-03-${String(1 + (o.alcance % 28)).padStart(2, '0')}` })
      else if (o.kind === 'rename') await request('PATCH', `/v2/campaigns/${o.name}`, { name: o.to })
      else if (o.kind === 'delete') await request('DELETE', `/v2/campaigns/${o.name}`)
      else {
        const report = await runImport(app.database, user.companyId, exportOf(o), { partial: true, conflictPolicy: 'first' })
        if (report.committed) imported++
      }
      writes++
      const drift = await findDrift(app.db, user.companyId)
      if (drift.length > 0) throw new Error(`after ${JSON.stringify(o)}: ${JSON.stringify(drift)}`)
      const flights = await findFlightDrift(app.db, user.companyId)
      if (flights.length > 0) throw new Error(`after ${JSON.stringify(o)}, the overview's flight totals: ${JSON.stringify(flights)}`)
      const types = await findTypeCountDrift(app.db, user.companyId)
      if (types.length > 0) throw new Error(`after ${JSON.stringify(o)}, the campaign counts per type: ${JSON.stringify(types)}`)
      const zones = await findZoneDrift(app.db, user.companyId)
      if (zones.length > 0) throw new Error(`after ${JSON.stringify(o)}, the by_zm aggregates: ${JSON.stringify(zones)}`)
      await checkOverviews(JSON.stringify(o))
    }
  }), { numRuns: 12, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) })
  t.ok(writes > 12, `${writes} writes checked`)
  t.ok(imported > 0, `${imported} of them committed imports`)
})

t.test('the rebuild recomputes from scratch: it corrects figures made wrong behind the triggers\' back, and reports each', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'admin' })
  const data: Export = {
    campaigns: [campaign('Uno', { sites: '2' }), campaign('Dos')],
    periods: ['Uno', 'Dos'].flatMap((n) => [period(n, '2025-01', '1500', '500'), period(n, '2025-02', '1500', '500')]),
    sites: [site('Uno', 'R1', '2025-01', { zm: 'Monterrey', estado: 'Nuevo León' }), site('Uno', 'R2', '2025-01'), site('Dos', 'R2', '2025-02')]
  }
  t.equal((await runImport(app.database, user.companyId, data, { partial: true })).committed, true)
  t.same(await rebuildFigures(app.db, user.companyId), [], 'nothing to correct after an import')
  // As a restore without triggers, or a figure written by hand, would leave them.
  await app.db.updateTable('campaigns').set({ sites_count: 9, zms: ['Nowhere'] }).where('company_id', '=', user.companyId).where('name', '=', 'Uno').execute()
  await app.db.updateTable('campaigns').set({ periods_count: 0 }).where('company_id', '=', user.companyId).where('name', '=', 'Dos').execute()
  const corrected = await rebuildFigures(app.db, user.companyId)
  const counts = (f: Drift['stored']) => ({ sites_count: f.sites_count, periods_count: f.periods_count, zms: f.zms, estados: f.estados })
  t.same(corrected.map((d) => [d.name, counts(d.stored), counts(d.recomputed)]), [
    ['Dos', { sites_count: 1, periods_count: 0, zms: ['Valle de Mexico'], estados: ['Ciudad de Mexico'] }, { sites_count: 1, periods_count: 2, zms: ['Valle de Mexico'], estados: ['Ciudad de Mexico'] }],
    ['Uno', { sites_count: 9, periods_count: 2, zms: ['Nowhere'], estados: ['Ciudad de Mexico', 'Nuevo León'] }, { sites_count: 2, periods_count: 2, zms: ['Monterrey', 'Valle de Mexico'], estados: ['Ciudad de Mexico', 'Nuevo León'] }]
  ])
  t.same(corrected.map((d) => d.stored.site_zms), [['Valle de Mexico'], ['Monterrey', 'Valle de Mexico']], 'each site\'s zone, by site id')
  t.same(await findDrift(app.db, user.companyId), [], 'corrected')
  t.same(await rebuildFigures(app.db, user.companyId), [], 'a second run finds nothing')
  const listed = (await app.inject({ url: '/v2/campaigns?zm=Monterrey', headers: { authorization: user.authorization } })).json()
  t.same(listed.data.map((c: { name: string, sites_count: number }) => [c.name, c.sites_count]), [['Uno', 2]])
})

t.test('the rebuild replaces the overview\'s flight totals with what the campaigns sum to, and reports each flight that differed', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'admin' })
  for (const [name, impactos] of [['F1', 100], ['F2', 250]] as const) {
    t.equal((await app.inject({ method: 'POST', url: '/v2/campaigns', headers: { authorization: user.authorization }, payload: { name, tipo_campania: 'mensual', fecha_inicio: '2025-05-01', fecha_fin: '2025-05-31', impactos_personas: impactos } })).statusCode, 201)
  }
  t.same(await rebuildFlights(app.db, user.companyId), [], 'nothing to correct')
  await app.db.updateTable('campaign_flight_totals').set({ campaigns: 5 }).where('company_id', '=', user.companyId).execute()
  const corrected = await rebuildFlights(app.db, user.companyId)
  t.same(corrected.map((f) => [f.tipo_campania, f.fecha_inicio, f.fecha_fin, f.stored.campaigns, f.recomputed]), [
    ['mensual', '2025-05-01', '2025-05-31', 5, { campaigns: 2, impactos_personas: '350', impactos_vehiculos: '0', alcance: '0' }]
  ])
  t.same(await findFlightDrift(app.db, user.companyId), [])
  const overview = (await app.inject({ url: '/v2/analytics/overview?start_date=2025-05-15', headers: { authorization: user.authorization } })).json()
  t.same(overview.totals, { campaigns: 2, impactos_personas: 350, impactos_vehiculos: 0, alcance: 0 })
})

t.test('the rebuild replaces the campaign counts per type with a count of the campaigns, and reports each that differed', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'admin' })
  for (const [name, tipo] of [['T1', 'mensual'], ['T2', 'mensual'], ['T3', 'catorcenal']] as const) {
    t.equal((await app.inject({ method: 'POST', url: '/v2/campaigns', headers: { authorization: user.authorization }, payload: { name, tipo_campania: tipo, fecha_inicio: '2025-05-01', fecha_fin: '2025-05-31' } })).statusCode, 201)
  }
  t.same(await rebuildTypeCounts(app.db, user.companyId), [], 'nothing to correct')
  await app.db.updateTable('campaign_type_counts').set({ campaigns: 7 }).where('company_id', '=', user.companyId).where('tipo_campania', '=', 'mensual').execute()
  t.same(await rebuildTypeCounts(app.db, user.companyId), [{ company_id: user.companyId, tipo_campania: 'mensual', stored: 7, recomputed: 2 }])
  t.same(await findTypeCountDrift(app.db, user.companyId), [])
  const page = (await app.inject({ url: '/campaigns/?skip=0&limit=1', headers: { authorization: user.authorization } })).json()
  t.equal(page.total, 3, 'the v1 total reads the corrected counts')
})

t.test('the rebuild replaces the by_zm aggregates with what the facts give, and reports each row that differed', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'admin' })
  const data: Export = {
    campaigns: [campaign('Uno', { sites: '2' }), campaign('Dos')],
    periods: ['Uno', 'Dos'].flatMap((n) => [period(n, '2025-01', '1500', '500')]),
    sites: [site('Uno', 'Z1', '2025-01', { zm: 'Monterrey', estado: 'Nuevo León', impactos_catorcenal: '40' }), site('Uno', 'Z2', '2025-01', { zm: '', estado: '' }), site('Dos', 'Z1', '2025-01', { zm: 'Monterrey', estado: 'Nuevo León', impactos_catorcenal: '2' })]
  }
  t.equal((await runImport(app.database, user.companyId, data, { partial: true })).committed, true)
  t.same(await rebuildZones(app.db, user.companyId), [], 'nothing to correct after an import')
  const before = (await app.inject({ url: '/v2/analytics/overview', headers: { authorization: user.authorization } })).json().by_zm
  t.same(before.find((z: { zm: string | null }) => z.zm === 'Monterrey'), { zm: 'Monterrey', campaigns: 2, sites: 1, impactos: 42 })
  t.ok(before.some((z: { zm: string | null }) => z.zm === null), 'a site without a zone is the zone null')
  // As a restore without triggers, or a row written by hand, would leave them.
  const overAll = { with_zm: null, with_estado: null }
  await app.db.updateTable('type_site_totals').set({ campaigns: 0 }).where('company_id', '=', user.companyId).where('with_zm', 'is', null).where('with_estado', 'is', null).execute()
  await app.db.deleteFrom('type_zone_counts').where('company_id', '=', user.companyId).where('zm', 'is', null).where('with_zm', 'is', null).where('with_estado', 'is', null).execute()
  const corrected = await rebuildZones(app.db, user.companyId)
  t.same(corrected.map((d) => [d.table, d.key.with_zm, d.key.with_estado]), corrected.map((d) => [d.table, overAll.with_zm, overAll.with_estado]), 'only the rows over all campaigns were changed')
  t.same(corrected.map((d) => [d.table, d.stored.campaigns, d.recomputed.campaigns]), [
    ['type_site_totals', 0, 2],
    ['type_site_totals', 0, 1],
    ['type_zone_counts', 0, 1]
  ])
  t.same(corrected.filter((d) => d.table === 'type_site_totals').map((d) => d.recomputed.impactos).sort(), ['42', data.sites[1].impactos_catorcenal].sort(), 'the exact impacts per site')
  t.same(await findZoneDrift(app.db, user.companyId), [])
  const after = (await app.inject({ url: '/v2/analytics/overview', headers: { authorization: user.authorization } })).json().by_zm
  t.same(after, before, 'the overview reads the corrected aggregates')
})
