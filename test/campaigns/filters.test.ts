import t from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { buildCampaign, insertCampaigns } from '../support/campaign-fixtures.js'
import { referenceOrder, walk, type Row } from './support.js'

const NAMES = ['Promo 50% off', 'promo_50 off', 'PROMO 500', 'back\\slash sale', 'Verano Norte', 'verano sur', 'Invierno', 'Otoño Ñandú', "O'Reilly; drop table campaigns;--", 'percent%%', 'x_y', 'xay']

t.test('each filter and their combination match a reference computed here', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  const specs = NAMES.map((name, i) => ({
    name,
    tipo_campania: i % 2 === 0 ? 'mensual' as const : 'catorcenal' as const,
    fecha_inicio: `2025-${String(1 + i).padStart(2, '0')}-10`,
    fecha_fin: i + 2 <= 12 ? `2025-${String(2 + i).padStart(2, '0')}-05` : '2025-12-28',
    impactos_personas: 100 * i
  }))
  await insertCampaigns(app.db, user.companyId, specs)
  // Sites: campaigns 0..3 in Monterrey/Nuevo León, 2..5 in Guadalajara/Jalisco (2 and 3 in both).
  const rows: Row[] = await app.db.selectFrom('campaigns').select(['id', 'name', 'fecha_inicio', 'fecha_fin', 'tipo_campania', 'impactos_personas', 'alcance'])
    .where('company_id', '=', user.companyId).execute()
  const zoneOf = (i: number) => [...(i <= 3 ? ['Monterrey'] : []), ...(i >= 2 && i <= 5 ? ['Guadalajara'] : [])]
  const stateOf: Record<string, string> = { Monterrey: 'Nuevo León', Guadalajara: 'Jalisco' }
  const other = await buildCampaign(app.db, user.companyId, { name: 'helper-sites-owner' }, {
    sites: [{ codigo_del_sitio: 'MTY-1', zm: 'Monterrey', estado: 'Nuevo León' }, { codigo_del_sitio: 'GDL-1', zm: 'Guadalajara', estado: 'Jalisco' }],
    periods: []
  })
  const siteId = Object.fromEntries(other.sites.map((s) => [s.codigo_del_sitio.startsWith('MTY') ? 'Monterrey' : 'Guadalajara', s.id]))
  for (const [i, spec] of specs.entries()) {
    const campaign = rows.find((r) => r.name === spec.name)!
    for (const zone of zoneOf(i)) {
      await app.db.insertInto('campaign_site_periods').values({ company_id: user.companyId, campaign_id: campaign.id, site_id: siteId[zone], id_fourteen: '2025-01' }).execute()
    }
  }
  rows.push({ ...(await app.db.selectFrom('campaigns').select(['id', 'name', 'fecha_inicio', 'fecha_fin', 'tipo_campania', 'impactos_personas', 'alcance']).where('id', '=', other.id).executeTakeFirstOrThrow()) })
  const indexOf = (name: string) => NAMES.indexOf(name)
  const zones = (r: Row) => indexOf(r.name) >= 0 ? zoneOf(indexOf(r.name)) : []

  const cases: Array<[Record<string, string>, (r: Row) => boolean]> = [
    [{ tipo_campania: 'mensual' }, (r) => r.tipo_campania === 'mensual'],
    [{ tipo_campania: 'catorcenal' }, (r) => r.tipo_campania === 'catorcenal'],
    [{ start_date: '2025-06-01' }, (r) => r.fecha_fin >= '2025-06-01'],
    [{ end_date: '2025-03-10' }, (r) => r.fecha_inicio <= '2025-03-10'],
    [{ start_date: '2025-04-01', end_date: '2025-06-30' }, (r) => r.fecha_fin >= '2025-04-01' && r.fecha_inicio <= '2025-06-30'],
    [{ start_date: '2025-05-10', end_date: '2025-05-10' }, (r) => r.fecha_fin >= '2025-05-10' && r.fecha_inicio <= '2025-05-10'],
    ...['promo', '50%', '50_', '_', '%', '\\', 'VERANO', 'ñandú', "'; drop", 'x_y', 'percent%%', 'nothing-matches'].map((q) =>
      [{ q }, (r: Row) => r.name.toLowerCase().includes(q.toLowerCase())] as [Record<string, string>, (r: Row) => boolean]),
    [{ zm: 'Monterrey' }, (r) => zones(r).includes('Monterrey')],
    [{ zm: 'Guadalajara' }, (r) => zones(r).includes('Guadalajara')],
    [{ estado: 'Jalisco' }, (r) => zones(r).some((z) => stateOf[z] === 'Jalisco')],
    [{ estado: 'Nowhere' }, () => false],
    [{ zm: 'Monterrey', estado: 'Jalisco' }, (r) => zones(r).includes('Monterrey') && zones(r).some((z) => stateOf[z] === 'Jalisco')],
    [{ tipo_campania: 'mensual', q: 'promo', start_date: '2025-02-01' }, (r) => r.tipo_campania === 'mensual' && r.name.toLowerCase().includes('promo') && r.fecha_fin >= '2025-02-01']
  ]
  for (const [filters, predicate] of cases) {
    for (const sort of ['name', '-impactos_personas']) {
      const names = await walk(t, app, user.authorization, { ...filters, sort, limit: '2' })
      t.same(names, referenceOrder(rows.filter(predicate), sort), `${JSON.stringify(filters)} sort=${sort}`)
    }
    const counted = await app.inject({ url: `/v2/campaigns?${new URLSearchParams({ ...filters, include_total: 'true' })}`, headers: { authorization: user.authorization } })
    t.equal(counted.json().total, rows.filter(predicate).length, `${JSON.stringify(filters)} total`)
  }
  t.equal(await app.db.selectFrom('campaigns').select((eb) => eb.fn.countAll().as('n')).where('company_id', '=', user.companyId).executeTakeFirstOrThrow().then((r) => Number(r.n)), NAMES.length + 1, 'SQL in q stayed data')
})

t.test('bad input answers 400 naming the parameter', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  const cases: Array<[string, string]> = [
    ['limit=0', 'querystring.limit'],
    ['limit=1000', 'querystring.limit'],
    ['limit=abc', 'querystring.limit'],
    ['sort=created_at', 'querystring.sort'],
    ['sort=-', 'querystring.sort'],
    ['start_date=2025-13-01', 'querystring.start_date'],
    ['end_date=yesterday', 'querystring.end_date'],
    ['start_date=2025-06-02&end_date=2025-06-01', 'querystring.start_date'],
    [`q=${'a'.repeat(101)}`, 'querystring.q'],
    ['tipo_campania=anual', 'querystring.tipo_campania'],
    ['cursor=not-a-cursor', 'querystring.cursor'],
    ['colour=red', 'querystring.colour'],
    ['include_total=maybe', 'querystring.include_total']
  ]
  for (const [query, field] of cases) {
    const response = await app.inject({ url: `/v2/campaigns?${query}`, headers: { authorization: user.authorization } })
    t.equal(response.statusCode, 400, query)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', `${query}: problem document`)
    t.ok(response.json().errors?.some((e: { field: string }) => e.field === field), `${query} names ${field}: ${response.body}`)
  }
})
