import t, { type Test } from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { buildCampaign, type SiteSpec } from '../support/campaign-fixtures.js'

const HOURS = Array.from({ length: 24 }, (_, h) => (h === 18 ? 900 : 10 * h))
const CAMPAIGN = {
  name: 'Resumen',
  tipo_campania: 'catorcenal' as const,
  fecha_inicio: '2025-01-01',
  fecha_fin: '2025-03-31',
  impactos_personas: 9000,
  impactos_vehiculos: 4000,
  alcance: 3000,
  universo_zona_metro: 60000,
  frecuencia_calculada: 3,
  frecuencia_promedio: 2.5,
  nse_ab: 0.1,
  nse_c: 0.3,
  edad_25a34: 0.2,
  hombres: 0.45,
  mujeres: 0.55,
  hourly_vehicle_count: HOURS
}
const PERIODS = [{ period: '2025-01', personas: 100, vehiculos: 50 }, { period: '2025-02', personas: 150, vehiculos: 40 }, { period: '2025-03', personas: 150, vehiculos: null }]
const SITES: SiteSpec[] = [
  { codigo_del_sitio: 'A', zm: 'Monterrey', estado: 'Nuevo León', municipio: 'Monterrey', tipo_de_mueble: 'Muro', tipo_de_anuncio: 'Digital' },
  { codigo_del_sitio: 'B', zm: 'Monterrey', estado: 'Nuevo León', municipio: 'San Pedro', tipo_de_mueble: 'Poste', tipo_de_anuncio: null },
  { codigo_del_sitio: 'C', zm: 'Guadalajara', estado: 'Jalisco', municipio: 'Zapopan', tipo_de_mueble: 'Muro', tipo_de_anuncio: 'Digital' }
]
// buildCampaign's facts: site s, period p -> 1000 * (s + 1) + p impacts, a tenth of that as reach.
const siteImpacts = (s: number) => [0, 1, 2].reduce((sum, p) => sum + 1000 * (s + 1) + p, 0)

async function setUp (t: Test) {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'admin' })
  await buildCampaign(app.db, user.companyId, CAMPAIGN, { periods: PERIODS, sites: SITES })
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { authorization: user.authorization, ...headers } })
  return { app, user, get }
}

t.test('campaign summary: profile, totals, frequency, hourly profile and derived figures', async (t) => {
  const { get } = await setUp(t)
  const response = await get('/v2/campaigns/Resumen/summary')
  t.equal(response.statusCode, 200)
  const sitesTotal = siteImpacts(0) + siteImpacts(1) + siteImpacts(2)
  t.same(response.json(), {
    name: 'Resumen',
    tipo_campania: 'catorcenal',
    fecha_inicio: '2025-01-01',
    fecha_fin: '2025-03-31',
    audience: {
      nse: { ab: 0.1, c_mas: null, c: 0.3, d_mas: null, d: null, e: null },
      edad: { '0a14': null, '15a19': null, '20a24': null, '25a34': 0.2, '35a44': null, '45a64': null, '65mas': null },
      genero: { hombres: 0.45, mujeres: 0.55 }
    },
    totals: { impactos_personas: 9000, impactos_vehiculos: 4000, alcance: 3000, universo_zona_metro: 60000, sites_count: 3, periods_count: 3, impactos_sitios: sitesTotal },
    frecuencia: { calculada: 3, promedio: 2.5 },
    hourly_vehicle_profile: { hours: HOURS, peak_hour: 18, total: HOURS.reduce((a, b) => a + b, 0) },
    derived: { impactos_por_sitio: 3000, impactos_por_periodo: 3000, alcance_share_universo: 0.05, frecuencia_efectiva: 3 }
  })
})

t.test('periods summary: series with change, totals, average, min and max', async (t) => {
  const { get } = await setUp(t)
  const body = (await get('/v2/campaigns/Resumen/periods/summary')).json()
  t.equal(body.periods_count, 3)
  t.same(body.series, [
    { period: '2025-01', impactos_periodo_personas: 100, impactos_periodo_vehiculos: 50, change_personas: null, change_personas_pct: null, change_vehiculos: null, change_vehiculos_pct: null },
    { period: '2025-02', impactos_periodo_personas: 150, impactos_periodo_vehiculos: 40, change_personas: 50, change_personas_pct: 0.5, change_vehiculos: -10, change_vehiculos_pct: -0.2 },
    { period: '2025-03', impactos_periodo_personas: 150, impactos_periodo_vehiculos: null, change_personas: 0, change_personas_pct: 0, change_vehiculos: null, change_vehiculos_pct: null }
  ])
  t.equal(body.personas.total, 400)
  t.ok(Math.abs(body.personas.average - 400 / 3) < 1e-9)
  t.same(body.personas.min, { period: '2025-01', value: 100 })
  t.same(body.personas.max, { period: '2025-02', value: 150 }, 'ties go to the earlier period')
  t.same(body.vehiculos, { total: 90, average: 45, min: { period: '2025-02', value: 40 }, max: { period: '2025-01', value: 50 } })
})

t.test('sites summary: each breakdown and the top sites, against a reference computed here', async (t) => {
  const { get } = await setUp(t)
  const body = (await get('/v2/campaigns/Resumen/sites/summary')).json()
  t.equal(body.sites_count, 3)
  for (const dimension of ['tipo_de_mueble', 'tipo_de_anuncio', 'estado', 'municipio', 'zm'] as const) {
    const groups = new Map<string | null, { value: string | null, sites: number, impactos: number, alcance: number }>()
    SITES.forEach((site, s) => {
      const value = site[dimension] ?? null
      const group = groups.get(value) ?? { value, sites: 0, impactos: 0, alcance: 0 }
      group.sites += 1
      group.impactos += siteImpacts(s)
      group.alcance += siteImpacts(s) / 10
      groups.set(value, group)
    })
    const expected = [...groups.values()].sort((a, b) => b.impactos - a.impactos)
    t.equal(body.breakdowns[dimension].length, expected.length, dimension)
    body.breakdowns[dimension].forEach((row: { value: string | null, sites: number, impactos: number, alcance: number }, i: number) => {
      t.match(row, { value: expected[i].value, sites: expected[i].sites, impactos: expected[i].impactos }, `${dimension}[${i}]`)
      t.ok(Math.abs(row.alcance - expected[i].alcance) < 1e-6, `${dimension}[${i}] alcance`)
    })
  }
  t.same(body.top_sites.map((s: { codigo_del_sitio: string, impactos: number }) => [s.codigo_del_sitio, s.impactos]), [['C', siteImpacts(2)], ['B', siteImpacts(1)], ['A', siteImpacts(0)]])
})

t.test('overview: totals and breakdowns of the company only, filtered like the list', async (t) => {
  const { app, user, get } = await setUp(t)
  await buildCampaign(app.db, user.companyId, { name: 'Mensual', tipo_campania: 'mensual', fecha_inicio: '2025-02-10', fecha_fin: '2025-02-28', impactos_personas: 1000, alcance: 10 })
  const stranger = await createUserWithToken(app, { role: 'owner' })
  await buildCampaign(app.db, stranger.companyId, { name: 'Ajena', impactos_personas: 77777 })
  const all = (await get('/v2/analytics/overview')).json()
  t.same(all.totals, { campaigns: 2, impactos_personas: 10000, impactos_vehiculos: 4000, alcance: 3010 })
  t.same(all.by_tipo, [
    { tipo_campania: 'catorcenal', campaigns: 1, impactos_personas: 9000, impactos_vehiculos: 4000, alcance: 3000 },
    { tipo_campania: 'mensual', campaigns: 1, impactos_personas: 1000, impactos_vehiculos: 0, alcance: 10 }
  ])
  t.same(all.by_month.map((m: { month: string, campaigns: number }) => [m.month, m.campaigns]), [['2025-01', 1], ['2025-02', 1]])
  t.same(all.by_zm, [
    { zm: 'Monterrey', campaigns: 1, sites: 2, impactos: siteImpacts(0) + siteImpacts(1) },
    { zm: 'Guadalajara', campaigns: 1, sites: 1, impactos: siteImpacts(2) }
  ])
  const monthly = (await get('/v2/analytics/overview?tipo_campania=mensual')).json()
  t.same(monthly.totals, { campaigns: 1, impactos_personas: 1000, impactos_vehiculos: 0, alcance: 10 })
  t.same(monthly.by_zm, [])
  const zoned = (await get('/v2/analytics/overview?zm=Guadalajara&start_date=2025-01-15')).json()
  t.equal(zoned.totals.campaigns, 1)
  t.equal((await get('/v2/analytics/overview?start_date=2025-02-01&end_date=2025-01-01')).statusCode, 400)
  t.equal((await get('/v2/analytics/overview?sort=name')).statusCode, 400, 'list-only parameters are unknown here')
})

t.test('analytics answers carry an ETag, honour If-None-Match with 304, and are private', async (t) => {
  const { app, user, get } = await setUp(t)
  for (const url of ['/v2/campaigns/Resumen/summary', '/v2/campaigns/Resumen/periods/summary', '/v2/campaigns/Resumen/sites/summary', '/v2/analytics/overview']) {
    const first = await get(url)
    const etag = String(first.headers.etag)
    t.match(etag, /^"[\w-]+"$/, `${url}: strong ETag`)
    t.match(first.headers['cache-control'], /private/, `${url}: private`)
    t.equal((await get(url)).headers.etag, etag, `${url}: same body, same tag`)
    const cached = await get(url, { 'if-none-match': etag })
    t.equal(cached.statusCode, 304, `${url}: 304`)
    t.equal(cached.body, '', `${url}: no body`)
    t.equal(cached.headers.etag, etag)
    t.equal((await get(url, { 'if-none-match': `"other", W/${etag}` })).statusCode, 304, `${url}: weak comparison in a list`)
    t.equal((await get(url, { 'if-none-match': '"other"' })).statusCode, 200, `${url}: stale tag gets the body`)
    // From the dashboard's origin the answer varies by both: CORS's Origin is kept beside the token.
    const fromDashboard = await get(url, { origin: 'http://dashboard.test' })
    t.equal(fromDashboard.headers['access-control-allow-origin'], 'http://dashboard.test')
    t.same(String(fromDashboard.headers.vary).split(',').map((v) => v.trim().toLowerCase()).sort(), ['authorization', 'origin'], `${url}: Vary: Origin, authorization`)
  }
  const before = String((await get('/v2/campaigns/Resumen/summary')).headers.etag)
  await app.inject({ method: 'PATCH', url: '/v2/campaigns/Resumen', headers: { authorization: user.authorization }, payload: { alcance: 4500 } })
  const after = await get('/v2/campaigns/Resumen/summary', { 'if-none-match': before })
  t.equal(after.statusCode, 200, 'changed data, new body')
  t.not(after.headers.etag, before)
  t.equal((await get('/v2/campaigns/Nope/summary', { 'if-none-match': '*' })).statusCode, 404, 'problems are never 304')
})

t.test('an unknown hour stays unknown: null in every answer, never the peak hour, and the day\'s total unknown', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'admin' })
  // The busiest hour (18) is the unknown one, as an export with an empty cell leaves it.
  const hours = HOURS.map((v, h) => (h === 18 ? null : v))
  await buildCampaign(app.db, user.companyId, { ...CAMPAIGN, name: 'Horas', hourly_vehicle_count: hours }, { periods: PERIODS, sites: SITES })
  const get = (url: string) => app.inject({ url, headers: { authorization: user.authorization } })
  const profile = (await get('/v2/campaigns/Horas/summary')).json().hourly_vehicle_profile
  t.same(profile.hours, hours)
  const known = hours.map((v, h) => [v, h] as const).filter(([v]) => v !== null).sort((a, b) => b[0]! - a[0]! || a[1] - b[1])
  t.equal(profile.peak_hour, known[0][1], 'the busiest known hour')
  t.equal(profile.total, null, 'a day with an unknown hour has no known total')
  t.same((await get('/v2/campaigns/Horas')).json().campaign.hourly_vehicle_count, hours, 'detail')
  t.same((await get('/v2/campaigns?q=Horas')).json().data[0].hourly_vehicle_count, hours, 'list')
  const created = await app.inject({ method: 'POST', url: '/v2/campaigns', headers: { authorization: user.authorization }, payload: { ...CAMPAIGN, name: 'Horas API', hourly_vehicle_count: hours } })
  t.equal(created.statusCode, 201)
  t.same(created.json().hourly_vehicle_count, hours, 'an unknown hour can be written through the API too')
})
