import t from 'tap'
import { buildTestApp, createUserWithToken, uniqueName } from '../helper.js'
import { buildCampaign } from '../support/campaign-fixtures.js'
import { OLD_CAMPAIGN_FIELDS, oldCampaign, v1 } from './support.js'

// The old dashboard's calls, field by field, as shared/legacy-contract.md lists what it reads.

t.test('GET /campaigns/ answers {data, total, page, pageSize} with flat old Campaigns', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  const created = await v1(app, owner.authorization, 'POST', '/campaigns/', oldCampaign('Flat'))
  t.equal(created.statusCode, 201, created.body)

  const response = await v1(app, owner.authorization, 'GET', '/campaigns/?skip=0&limit=5')
  t.equal(response.statusCode, 200, response.body)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['data', 'page', 'pageSize', 'total'])
  t.same({ total: body.total, page: body.page, pageSize: body.pageSize }, { total: 1, page: 0, pageSize: 5 })
  t.same(Object.keys(body.data[0]).sort(), OLD_CAMPAIGN_FIELDS, 'exactly the old fields, flat')
  t.same(body.data[0], { ...oldCampaign('Flat'), company_id: owner.companyId })

  const defaults = (await v1(app, owner.authorization, 'GET', '/campaigns/')).json()
  t.same({ page: defaults.page, pageSize: defaults.pageSize }, { page: 0, pageSize: 5 }, 'skip 0 and limit 5 by default')
  t.equal((await v1(app, owner.authorization, 'GET', '/campaigns/?skip=7&limit=3')).json().page, 2, 'page = skip / limit, rounded down')
})

t.test('an unknown value stays null in v1: a campaign created with nulls reads back null', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  const unknowns = { impactos_personas: null, alcance: null, nse_ab: null, frecuencia_calculada: null }
  t.equal((await v1(app, owner.authorization, 'POST', '/campaigns/', oldCampaign('Nulls', unknowns))).statusCode, 201)
  const detail = (await v1(app, owner.authorization, 'GET', '/campaigns/Nulls')).json()
  for (const [field, value] of Object.entries(unknowns)) t.equal(detail[field], value, `${field} is null`)
})

t.test('GET /campaigns/{name}: the flat Campaign with periods and a site row per site and catorcena, with stable ids', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  const name = uniqueName('Detail')
  const built = await buildCampaign(app.db, owner.companyId, { name, tipo_campania: 'catorcenal', impactos_personas: 900, alcance: null }, {
    sites: [
      { codigo_del_sitio: 'B-2', tipo_de_mueble: 'Mupi', tipo_de_anuncio: 'Digital', estado: 'Jalisco', municipio: 'Zapopan', zm: 'Guadalajara' },
      { codigo_del_sitio: 'A-1', estado: null, municipio: null, zm: null }
    ],
    periods: [{ period: '2025-03', personas: 1500000.25, vehiculos: null }, { period: '2025-04', personas: 10, vehiculos: 20 }]
  })
  await app.db.updateTable('campaign_site_periods').set({ frecuencia_mensual: 4.5, alcance_mensual: 1234.5 })
    .where('company_id', '=', owner.companyId).where('campaign_id', '=', built.id).where('id_fourteen', '=', '2025-03').execute()

  const response = await v1(app, owner.authorization, 'GET', `/campaigns/${encodeURIComponent(name)}`)
  t.equal(response.statusCode, 200, response.body)
  const detail = response.json()
  t.same(Object.keys(detail).sort(), [...OLD_CAMPAIGN_FIELDS, 'periods', 'sites'].sort(), 'the Campaign fields at the top level')
  t.equal(detail.name, name)
  t.equal(detail.tipo_campania, 'catorcenal')
  t.equal(detail.fecha_inicio, '2025-01-01')
  t.equal(detail.impactos_personas, 900)
  t.equal(detail.alcance, null)

  t.same(detail.periods.map(({ id: _id, ...rest }: { id: number }) => rest), [
    { campaign_name: name, period: '2025-03', impactos_periodo_personas: 1500000.25, impactos_periodo_vehiculos: null },
    { campaign_name: name, period: '2025-04', impactos_periodo_personas: 10, impactos_periodo_vehiculos: 20 }
  ])
  t.equal(detail.sites.length, 4, 'one row per site and catorcena')
  const [first] = detail.sites
  t.same(Object.keys(first).sort(), ['alcance_mensual', 'campaign_name', 'codigo_del_sitio', 'estado', 'frecuencia_catorcenal', 'frecuencia_mensual',
    'id', 'impactos_catorcenal', 'impactos_mensuales', 'municipio', 'tipo_de_anuncio', 'tipo_de_mueble', 'zm'])
  t.same(detail.sites.map((s: { codigo_del_sitio: string }) => s.codigo_del_sitio), ['A-1', 'A-1', 'B-2', 'B-2'])
  const b2March = detail.sites[2]
  t.match(b2March, { campaign_name: name, tipo_de_mueble: 'Mupi', tipo_de_anuncio: 'Digital', estado: 'Jalisco', municipio: 'Zapopan', zm: 'Guadalajara', frecuencia_catorcenal: 2, frecuencia_mensual: 4.5, impactos_catorcenal: 1000, impactos_mensuales: 2000, alcance_mensual: 1234.5 })
  t.same([detail.sites[1].frecuencia_mensual, detail.sites[1].alcance_mensual, detail.sites[0].zm], [null, null, null], 'unknowns stay null')

  const ids = [...detail.periods, ...detail.sites].map((row: { id: number }) => row.id)
  t.ok(ids.every(Number.isSafeInteger), 'integer ids')
  t.equal(new Set(detail.sites.map((s: { id: number }) => s.id)).size, 4, 'site row ids are distinct')
  t.equal(new Set(detail.periods.map((p: { id: number }) => p.id)).size, 2, 'period ids are distinct')
  const again = (await v1(app, owner.authorization, 'GET', `/campaigns/${encodeURIComponent(name)}`)).json()
  t.same([...again.periods, ...again.sites].map((row: { id: number }) => row.id), ids, 'the same ids on every read')

  t.equal((await v1(app, owner.authorization, 'GET', '/campaigns/Nope')).statusCode, 404)
})

t.test('POST /campaigns/ needs every old field; PUT changes some; DELETE removes', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  const { alcance: _missing, ...withoutAlcance } = oldCampaign('Incomplete')
  const incomplete = await v1(app, owner.authorization, 'POST', '/campaigns/', withoutAlcance)
  t.equal(incomplete.statusCode, 400)
  t.match(incomplete.json().errors, [{ field: 'body.alcance' }], 'names the missing field')
  t.equal((await v1(app, owner.authorization, 'GET', '/campaigns/Incomplete')).statusCode, 404, 'nothing stored')

  const created = await v1(app, owner.authorization, 'POST', '/campaigns/', oldCampaign('Old', { company_id: owner.companyId + 1000 }))
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.json().company_id, owner.companyId, 'a company_id in the body is ignored: the caller\'s company')
  t.equal((await v1(app, owner.authorization, 'POST', '/campaigns/', oldCampaign('Old'))).statusCode, 409, 'a taken name')

  const put = await v1(app, owner.authorization, 'PUT', '/campaigns/Old', { impactos_personas: 5, name: 'Renamed' })
  t.equal(put.statusCode, 200, put.body)
  t.same(put.json(), { ...oldCampaign('Renamed'), impactos_personas: 5, company_id: owner.companyId })
  t.equal((await v1(app, owner.authorization, 'PUT', '/campaigns/Renamed', { unknown_field: 1 })).statusCode, 400, 'unknown fields are refused')
  t.equal((await v1(app, owner.authorization, 'PUT', '/campaigns/Missing', { alcance: 1 })).statusCode, 404)
  t.equal((await v1(app, owner.authorization, 'PUT', '/campaigns/Renamed', { fecha_inicio: '2026-01-01' })).statusCode, 400, 'a flight that ends before it starts')

  const deleted = await v1(app, owner.authorization, 'DELETE', '/campaigns/Renamed')
  t.equal(deleted.statusCode, 204)
  t.equal((await v1(app, owner.authorization, 'DELETE', '/campaigns/Renamed')).statusCode, 404)
})

t.test('GET /campaigns/search-by-date/ answers every overlapping campaign; both dates required, start after end is a 400', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  for (const [name, start, end] of [['Jan', '2025-01-01', '2025-01-31'], ['Feb', '2025-02-01', '2025-02-28'], ['Mar', '2025-03-01', '2025-03-31']]) {
    await v1(app, owner.authorization, 'POST', '/campaigns/', oldCampaign(name, { fecha_inicio: start, fecha_fin: end }))
  }
  const found = await v1(app, owner.authorization, 'GET', '/campaigns/search-by-date/?start_date=2025-01-31&end_date=2025-02-01')
  t.equal(found.statusCode, 200, found.body)
  t.same(found.json().map((c: { name: string }) => c.name), ['Jan', 'Feb'], 'overlaps, in creation order')
  t.same(Object.keys(found.json()[0]).sort(), OLD_CAMPAIGN_FIELDS)
  t.equal((await v1(app, owner.authorization, 'GET', '/campaigns/search-by-date/?start_date=2025-02-01')).statusCode, 400, 'end_date required')
  const reversed = await v1(app, owner.authorization, 'GET', '/campaigns/search-by-date/?start_date=2025-03-01&end_date=2025-02-01')
  t.equal(reversed.statusCode, 400)
  t.match(reversed.json().detail, /start_date/)
  const datetimes = await v1(app, owner.authorization, 'GET', '/campaigns/search-by-date/?start_date=2025-03-01T00:00:00&end_date=2025-03-02T00:00:00')
  t.same(datetimes.json().map((c: { name: string }) => c.name), ['Mar'], 'a datetime is read as its date')
  t.equal((await v1(app, owner.authorization, 'GET', '/campaigns/search-by-date/?start_date=2025-02-30&end_date=2025-03-02')).statusCode, 400, 'not a calendar date')
})

t.test('account routes: register, form login, me, create_user, refresh and logout in the old shapes', async (t) => {
  const app = await buildTestApp(t)
  const email = `${uniqueName('old-owner')}@example.com`
  const registered = await app.inject({ method: 'POST', url: '/auth/register', payload: { email, password: 'Tangerine-Violin-42', company_name: uniqueName('Old Co') } })
  t.equal(registered.statusCode, 201, registered.body)
  const user = registered.json()
  t.same(Object.keys(user).sort(), ['company_id', 'email', 'id', 'is_active', 'role'])
  t.match(user, { email, is_active: true, role: 'owner' })

  const form = await app.inject({ method: 'POST', url: '/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ username: email, password: 'Tangerine-Violin-42' }).toString() })
  t.equal(form.statusCode, 200, form.body)
  t.same(Object.keys(form.json()).sort(), ['access_token', 'token_type'])
  t.equal(form.json().token_type, 'bearer')
  const cookie = form.cookies.find((c) => c.name === 'refresh_token')
  t.ok(cookie?.httpOnly, 'the refresh token in an httpOnly cookie')
  const wrong = await app.inject({ method: 'POST', url: '/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `username=${encodeURIComponent(email)}&password=wrong-password` })
  t.equal(wrong.statusCode, 401)
  t.match(wrong.headers['www-authenticate'], /^Bearer/)
  t.type(wrong.json().detail, 'string', 'the dashboard shows detail')

  const authorization = `Bearer ${form.json().access_token}`
  const me = await app.inject({ url: '/auth/me', headers: { authorization } })
  t.same(me.json(), user)

  const added = await app.inject({ method: 'POST', url: '/auth/create_user', headers: { authorization }, payload: { email: `${uniqueName('viewer')}@example.com`, password: 'Tangerine-Violin-42' } })
  t.equal(added.statusCode, 201, added.body)
  t.match(added.json(), { role: 'viewer', company_id: user.company_id, is_active: true }, 'viewer by default')
  const admin = await app.inject({ method: 'POST', url: '/auth/create_user', headers: { authorization }, payload: { email: `${uniqueName('admin')}@example.com`, password: 'Tangerine-Violin-42', role: 'admin' } })
  t.equal(admin.json().role, 'admin')
  for (const role of ['owner', 'superuser']) {
    const refused = await app.inject({ method: 'POST', url: '/auth/create_user', headers: { authorization }, payload: { email: `${uniqueName('x')}@example.com`, password: 'Tangerine-Violin-42', role } })
    t.equal(refused.statusCode, 400, `role ${role} is a 400, not a silent viewer`)
  }

  // axios sends the refresh with no body and no content type.
  const refreshed = await app.inject({ method: 'POST', url: '/auth/refresh', headers: { origin: 'http://dashboard.test' }, cookies: { refresh_token: cookie!.value } })
  t.equal(refreshed.statusCode, 200, refreshed.body)
  t.same(Object.keys(refreshed.json()).sort(), ['access_token', 'token_type'])
  const next = refreshed.cookies.find((c) => c.name === 'refresh_token')!.value

  const loggedOut = await app.inject({ method: 'POST', url: '/auth/logout', headers: { origin: 'http://dashboard.test' }, cookies: { refresh_token: next } })
  t.equal(loggedOut.statusCode, 200)
  t.same(loggedOut.json(), { ok: true })
  t.ok(loggedOut.cookies.some((c) => c.name === 'refresh_token' && c.value === ''), 'cookie cleared')
  const after = await app.inject({ method: 'POST', url: '/auth/refresh', headers: { origin: 'http://dashboard.test' }, cookies: { refresh_token: next } })
  t.equal(after.statusCode, 401, 'the session ended')
})
