import t from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { buildCampaign } from '../support/campaign-fixtures.js'

const NEW = { name: 'Nueva', tipo_campania: 'mensual', fecha_inicio: '2025-03-01', fecha_fin: '2025-03-31', impactos_personas: 10, periods: ['2025-03'] }

t.test('POST /campaigns: admin and owner create, viewer is refused', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const owner = await createUserWithToken(app, { role: 'owner', companyId: admin.companyId })
  const viewer = await createUserWithToken(app, { role: 'viewer', companyId: admin.companyId })
  const post = (authorization: string, payload: object) => app.inject({ method: 'POST', url: '/v2/campaigns', headers: { authorization }, payload })
  t.equal((await post(viewer.authorization, NEW)).statusCode, 403)
  const created = await post(admin.authorization, NEW)
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v2/campaigns/Nueva')
  t.match(created.json(), { ...NEW, sites_count: 0, periods_count: 0, alcance: null })
  t.equal((await post(owner.authorization, { ...NEW, name: 'Otra' })).statusCode, 201)
  t.equal((await post(owner.authorization, NEW)).statusCode, 409, 'name taken')
  const bad = await post(admin.authorization, { ...NEW, name: 'Mal', fecha_inicio: '2025-04-01' })
  t.equal(bad.statusCode, 400, 'flight ends before it starts')
  const unknown = await post(admin.authorization, { ...NEW, name: 'X', colour: 'red' })
  t.equal(unknown.statusCode, 400)
  t.ok(unknown.json().errors.some((e: { field: string }) => e.field === 'body.colour'))
  const missing = await post(admin.authorization, { name: 'Y' })
  t.ok(missing.json().errors.some((e: { field: string }) => e.field === 'body.tipo_campania'))
  const share = await post(admin.authorization, { ...NEW, name: 'Z', nse_ab: 1.5 })
  t.ok(share.json().errors.some((e: { field: string }) => e.field === 'body.nse_ab'), 'shares are between 0 and 1')
})

t.test('an explicit null is stored as unknown, never coerced to 0', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const unknowns = { nse_ab: null, impactos_vehiculos: null, frecuencia_promedio: null, hourly_vehicle_count: null }
  const created = await app.inject({ method: 'POST', url: '/v2/campaigns', headers: { authorization: admin.authorization }, payload: { ...NEW, ...unknowns } })
  t.equal(created.statusCode, 201)
  t.hasStrict(created.json(), unknowns)
  const known = await app.inject({ method: 'PATCH', url: '/v2/campaigns/Nueva', headers: { authorization: admin.authorization }, payload: { impactos_personas: 5, alcance: 0 } })
  t.hasStrict(known.json(), { impactos_personas: 5, alcance: 0 })
  const cleared = await app.inject({ method: 'PATCH', url: '/v2/campaigns/Nueva', headers: { authorization: admin.authorization }, payload: { impactos_personas: null, alcance: null } })
  t.equal(cleared.statusCode, 200)
  t.hasStrict(cleared.json(), { impactos_personas: null, alcance: null })
  const wrongType = await app.inject({ method: 'PATCH', url: '/v2/campaigns/Nueva', headers: { authorization: admin.authorization }, payload: { alcance: 'many' } })
  t.equal(wrongType.statusCode, 400)
  t.same(wrongType.json().errors, [{ field: 'body.alcance', message: 'must be integer,null' }], 'one error naming the field and what it accepts')
})

t.test('a JSON body is validated as sent: a wrong type is a 400 naming the field, never rewritten into another value', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v2/campaigns', headers: { authorization: admin.authorization }, payload })
  const wrong: Array<[string, unknown]> = [
    ['name', 123], ['name', ['Nueva']], ['impactos_personas', true], ['impactos_personas', '42'], ['sites', false],
    ['hourly_vehicle_count', Array(24).fill('5')], ['periods', '2025-03']
  ]
  for (const [field, value] of wrong) {
    const response = await post({ ...NEW, [field]: value })
    t.equal(response.statusCode, 400, `${field}: ${JSON.stringify(value)}`)
    t.ok(response.json().errors.some((e: { field: string }) => e.field.startsWith(`body.${field}`)), `${field}: the error names it`)
  }
  const list = await app.inject({ url: '/v2/campaigns', headers: { authorization: admin.authorization } })
  t.same(list.json().data, [], 'nothing stored')
  // The query string is text, so it is still read as typed values.
  t.equal((await app.inject({ url: '/v2/campaigns?limit=2', headers: { authorization: admin.authorization } })).statusCode, 200)
})

t.test('values the database cannot hold, or the API cannot return exactly, are refused by the schema, naming the field', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const headers = { authorization: admin.authorization }
  const refused: Array<[string, unknown, string]> = [
    ['impactos_personas', 2 ** 53, 'body.impactos_personas'],
    ['sites', 2 ** 31, 'body.sites'],
    ['hourly_vehicle_count', [...Array(23).fill(1), 3e9], 'body.hourly_vehicle_count.23'],
    ['fecha_inicio', '0000-01-01', 'body.fecha_inicio']
  ]
  for (const [field, value, named] of refused) {
    const response = await app.inject({ method: 'POST', url: '/v2/campaigns', headers, payload: { ...NEW, [field]: value } })
    t.equal(response.statusCode, 400, field)
    t.ok(response.json().errors?.some((e: { field: string }) => e.field === named), `${field}: names ${named}`)
  }
  for (const name of ['.', '..']) {
    const unreachable = await app.inject({ method: 'POST', url: '/v2/campaigns', headers, payload: { ...NEW, name } })
    t.equal(unreachable.statusCode, 400, `"${name}" cannot be addressed in a URL`)
  }
  t.equal((await app.inject({ method: 'POST', url: '/v2/campaigns', headers, payload: { ...NEW, name: '...' } })).statusCode, 201, '"..." can')
  const largest = await app.inject({ method: 'POST', url: '/v2/campaigns', headers, payload: { ...NEW, name: 'Mayor', impactos_personas: Number.MAX_SAFE_INTEGER } })
  t.equal(largest.statusCode, 201)
  t.equal(largest.json().impactos_personas, Number.MAX_SAFE_INTEGER, '2^53 - 1 round-trips exactly')
  // PATCH /auth/users/{id} is the owner's: the role is checked before the request is validated.
  const owner = await createUserWithToken(app, { role: 'owner', companyId: admin.companyId })
  for (const [url, named] of [['/v2/campaigns?q=%00', 'querystring.q'], ['/v2/campaigns?zm=a%00', 'querystring.zm'], ['/v2/analytics/overview?start_date=0000-01-01', 'querystring.start_date'], ['/v2/auth/users/9223372036854775808', 'params.id']]) {
    const request = url.startsWith('/v2/auth')
      ? { method: 'PATCH' as const, url, headers: { authorization: owner.authorization }, payload: { role: 'viewer' } }
      : { method: 'GET' as const, url, headers }
    const response = await app.inject(request)
    t.equal(response.statusCode, 400, url)
    t.ok(response.json().errors?.some((e: { field: string }) => e.field === named), `${url}: names ${named}`)
  }
})

t.test('PATCH /campaigns/{name}: known fields only, validated; admin+', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const viewer = await createUserWithToken(app, { role: 'viewer', companyId: admin.companyId })
  await buildCampaign(app.db, admin.companyId, { name: 'Vieja', fecha_inicio: '2025-01-01', fecha_fin: '2025-01-31' })
  await buildCampaign(app.db, admin.companyId, { name: 'Ocupada' })
  const patch = (authorization: string, name: string, payload: object) => app.inject({ method: 'PATCH', url: `/v2/campaigns/${name}`, headers: { authorization }, payload })
  t.equal((await patch(viewer.authorization, 'Vieja', { alcance: 5 })).statusCode, 403)
  const unknown = await patch(admin.authorization, 'Vieja', { alcance: 5, company_id: 999 })
  t.equal(unknown.statusCode, 400)
  t.same(unknown.json().errors, [{ field: 'body.company_id', message: 'is not a known field' }])
  t.equal((await patch(admin.authorization, 'Vieja', {})).statusCode, 400, 'an empty change')
  t.equal((await patch(admin.authorization, 'Vieja', { fecha_fin: '2024-12-31' })).statusCode, 400, 'flight would end before it starts')
  t.equal((await patch(admin.authorization, 'Vieja', { name: 'Ocupada' })).statusCode, 409)
  const ok = await patch(admin.authorization, 'Vieja', { alcance: 5, name: 'Renombrada', fecha_fin: '2025-02-15' })
  t.equal(ok.statusCode, 200)
  t.match(ok.json(), { name: 'Renombrada', alcance: 5, fecha_fin: '2025-02-15', fecha_inicio: '2025-01-01' })
  t.ok(ok.json().updated_at >= ok.json().created_at)
  t.equal((await app.inject({ url: '/v2/campaigns/Vieja', headers: { authorization: admin.authorization } })).statusCode, 404)
})

t.test('DELETE /campaigns/{name}: owner only; its periods and facts go, its sites stay', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app, { role: 'owner' })
  const admin = await createUserWithToken(app, { role: 'admin', companyId: owner.companyId })
  const built = await buildCampaign(app.db, owner.companyId, { name: 'Borrar' }, { periods: [{ period: '2025-01', personas: 1, vehiculos: 1 }], sites: [{ codigo_del_sitio: 'D-1' }] })
  const del = (authorization: string) => app.inject({ method: 'DELETE', url: '/v2/campaigns/Borrar', headers: { authorization } })
  t.equal((await del(admin.authorization)).statusCode, 403)
  const gone = await del(owner.authorization)
  t.equal(gone.statusCode, 204)
  t.equal(gone.body, '')
  t.equal((await del(owner.authorization)).statusCode, 404)
  const left = async (table: 'campaign_periods' | 'campaign_site_periods') => Number((await app.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'))
    .where('company_id', '=', owner.companyId).where('campaign_id', '=', built.id).executeTakeFirstOrThrow()).n)
  t.equal(await left('campaign_periods'), 0)
  t.equal(await left('campaign_site_periods'), 0)
  t.ok(await app.db.selectFrom('sites').select('id').where('company_id', '=', owner.companyId).where('id', '=', built.sites[0].id).executeTakeFirst(), 'site kept')
})

t.test('the OpenAPI document declares what the framework answers: 413 on body routes, 414 on routes with a path parameter, and the Location of a created campaign', async (t) => {
  const app = await buildTestApp(t)
  const doc = (await app.inject('/docs/json')).json()
  for (const [path, method] of [['/v2/auth/register', 'post'], ['/v2/auth/token', 'post'], ['/v2/auth/logout', 'post'], ['/v2/campaigns/{name}', 'delete'], ['/v2/campaigns/{name}', 'patch']]) {
    t.ok(doc.paths[path][method].responses['413'], `${method} ${path} declares 413`)
  }
  for (const [path, method] of [['/v2/campaigns/{name}', 'get'], ['/v2/campaigns/{name}/summary', 'get'], ['/v2/auth/users/{id}', 'patch']]) {
    t.ok(doc.paths[path][method].responses['414'], `${method} ${path} declares 414`)
  }
  t.notOk(doc.paths['/v2/campaigns'].get.responses['414'], 'no path parameter, no 414')
  t.ok(doc.paths['/v2/campaigns'].post.responses['201'].headers?.location, 'POST /campaigns declares Location')
  const admin = await createUserWithToken(app, { role: 'admin' })
  const created = await app.inject({ method: 'POST', url: '/v2/campaigns', headers: { authorization: admin.authorization }, payload: NEW })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.location, '/v2/campaigns/Nueva')
  t.notOk('headers' in created.json(), 'the header schema is not serialised into the body')
})
