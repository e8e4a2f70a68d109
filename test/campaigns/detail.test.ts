import t from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { buildCampaign, insertCampaigns, insertFacts, insertSites } from '../support/campaign-fixtures.js'
import { get } from './support.js'

const PERIODS = [{ period: '2025-03', personas: 300, vehiculos: 30 }, { period: '2025-01', personas: 100, vehiculos: null }, { period: '2025-02', personas: null, vehiculos: 20 }]

t.test('GET /campaigns/{name}: the campaign, its periods and each site with totals and per-period rows', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  const name = 'Verano / 50% "Norte"'
  await buildCampaign(app.db, user.companyId, { name, impactos_personas: 999, hourly_vehicle_count: Array.from({ length: 24 }, (_, h) => h * 10) }, {
    periods: PERIODS,
    sites: [{ codigo_del_sitio: 'S-2', zm: 'Monterrey', estado: 'Nuevo León', tipo_de_mueble: 'Muro' }, { codigo_del_sitio: 'S-1', zm: 'Guadalajara', disponible: true }]
  })
  const response = await get(app, user.authorization, `/v2/campaigns/${encodeURIComponent(name)}`)
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.match(body.campaign, { name, impactos_personas: 999, sites_count: 2, periods_count: 3, periods: ['2025-03', '2025-01', '2025-02'] })
  t.equal(body.campaign.hourly_vehicle_count[23], 230)
  t.same(body.periods.map((p: { period: string }) => p.period), ['2025-01', '2025-02', '2025-03'], 'periods in order')
  t.same(body.periods[1], { period: '2025-02', impactos_periodo_personas: null, impactos_periodo_vehiculos: 20 })
  t.same(body.sites.map((s: { codigo_del_sitio: string }) => s.codigo_del_sitio), ['S-1', 'S-2'])
  // buildCampaign: site s (in insertion order), period p -> impactos 1000*(s+1)+p; S-2 is site 0.
  const s2 = body.sites[1]
  t.same(s2.totals, { periods: 3, impactos_catorcenal: 1000 + 1001 + 1002, impactos_mensuales: 2 * 3003, alcance_vehiculos_catorcenal: 300.3, frecuencia_catorcenal_promedio: 2 })
  t.equal(s2.periods.length, 3)
  t.match(s2.periods[0], { id_fourteen: '2025-01', impactos_catorcenal: 1001 })
  t.match(s2, { zm: 'Monterrey', estado: 'Nuevo León', tipo_de_mueble: 'Muro', disponible: null })
})

t.test('the detail carries every stored field of each site period, nulls and dates as stored, and the list item of the campaign', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  const [campaign] = await insertCampaigns(app.db, user.companyId, [{ name: 'Full', fecha_inicio: '2025-01-01', fecha_fin: '2025-03-31' }])
  const [site] = await insertSites(app.db, user.companyId, [{ codigo_del_sitio: 'F-1' }])
  const complete = {
    id_fourteen: '2025-02',
    mes: '2025-02',
    impactos_catorcenal: 3_000_000_000,
    impactos_mensuales: 6_000_000_001,
    frecuencia_catorcenal: 1.25,
    alcance_vehiculos_catorcenal: 12.5,
    alcance_mensual: 0.1,
    fecha_uso_inicio: '2025-02-01',
    fecha_uso_fin: '2025-02-14'
  }
  const empty = { id_fourteen: '2025-01', mes: null, impactos_catorcenal: null, impactos_mensuales: null, frecuencia_catorcenal: null, alcance_vehiculos_catorcenal: null, alcance_mensual: null, fecha_uso_inicio: null, fecha_uso_fin: null }
  await insertFacts(app.db, user.companyId, campaign.id, site.id, [complete, empty])
  await insertCampaigns(app.db, user.companyId, [{ name: 'Bare' }])

  const body = (await get(app, user.authorization, '/v2/campaigns/Full')).json()
  t.same(body.sites[0].periods, [empty, complete], 'each period row whole, in period order')
  t.same(body.sites[0].totals, { periods: 2, impactos_catorcenal: 3_000_000_000, impactos_mensuales: 6_000_000_001, alcance_vehiculos_catorcenal: 12.5, frecuencia_catorcenal_promedio: 1.25 }, 'sums skip NULLs')
  const listed = (await get(app, user.authorization, '/v2/campaigns?q=Full')).json().data
  t.same(body.campaign, listed[0], 'the same item as the list gives')
  const stored = await app.db.selectFrom('campaigns').select(['created_at', 'updated_at']).where('id', '=', campaign.id).executeTakeFirstOrThrow()
  t.equal(body.campaign.created_at, new Date(stored.created_at as unknown as Date).toISOString(), 'created_at as toISOString() writes it (UTC, milliseconds)')
  t.equal(body.campaign.updated_at, new Date(stored.updated_at as unknown as Date).toISOString())

  const bare = (await get(app, user.authorization, '/v2/campaigns/Bare')).json()
  t.same({ periods: bare.periods, sites: bare.sites }, { periods: [], sites: [] })
  t.match(bare.campaign, { name: 'Bare', sites_count: 0, periods_count: 0 })
})

t.test('a campaign of another company is a 404, as is an absent one', async (t) => {
  const app = await buildTestApp(t)
  const alice = await createUserWithToken(app, { role: 'owner' })
  const bob = await createUserWithToken(app, { role: 'owner' })
  await buildCampaign(app.db, alice.companyId, { name: 'Secret' }, { periods: PERIODS, sites: [{ codigo_del_sitio: 'A-1' }] })
  for (const path of ['', '/summary', '/periods/summary', '/sites/summary']) {
    const response = await get(app, bob.authorization, `/v2/campaigns/Secret${path}`)
    t.equal(response.statusCode, 404, `GET /campaigns/Secret${path}`)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
  }
  t.equal((await app.inject({ method: 'PATCH', url: '/v2/campaigns/Secret', headers: { authorization: bob.authorization }, payload: { alcance: 1 } })).statusCode, 404)
  t.equal((await app.inject({ method: 'DELETE', url: '/v2/campaigns/Secret', headers: { authorization: bob.authorization } })).statusCode, 404)
  t.equal((await get(app, alice.authorization, '/v2/campaigns/Secret')).statusCode, 200, 'still there for its owner')
  t.equal((await get(app, bob.authorization, '/v2/campaigns/Nope')).statusCode, 404)
  const list = await get(app, bob.authorization, '/v2/campaigns?q=secret&include_total=true')
  t.equal(list.json().total, 0, 'not listed either')
})
