import t from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { oldCampaign, v1 } from './support.js'

t.test('every v1 answer says it is deprecated and links its v2 successor; Sunset when LEGACY_SUNSET is set', async (t) => {
  const app = await buildTestApp(t, { LEGACY_SUNSET: '2027-06-30' })
  const owner = await createUserWithToken(app)
  await v1(app, owner.authorization, 'POST', '/campaigns/', oldCampaign('Año Nuevo'))
  const cases: Array<[string, string, string]> = [
    ['GET', '/campaigns/', '</v2/campaigns>; rel="successor-version"'],
    ['GET', '/campaigns/A%C3%B1o%20Nuevo', '</v2/campaigns/A%C3%B1o%20Nuevo>; rel="successor-version"'],
    ['GET', '/campaigns/search-by-date/?start_date=2025-01-01&end_date=2025-12-31', '</v2/campaigns>; rel="successor-version"'],
    ['GET', '/campaigns/Missing', '</v2/campaigns/Missing>; rel="successor-version"'],
    ['GET', '/auth/me', '</v2/auth/me>; rel="successor-version"']
  ]
  for (const [method, url, link] of cases) {
    const response = await v1(app, owner.authorization, method as 'GET', url)
    t.match(response.headers.deprecation, /^@\d+$/, `${url}: Deprecation is an RFC 9745 date`)
    t.equal(response.headers.link, link, `${url}: Link to the successor`)
    t.equal(response.headers.sunset, 'Wed, 30 Jun 2027 00:00:00 GMT', `${url}: Sunset (RFC 8594)`)
  }
  const v2 = await app.inject({ url: '/v2/campaigns', headers: { authorization: owner.authorization } })
  t.equal(v2.headers.deprecation, undefined, 'v2 is not deprecated')
  const unauthenticated = await app.inject({ url: '/campaigns/' })
  t.equal(unauthenticated.statusCode, 401)
  t.ok(unauthenticated.headers.deprecation, 'errors carry it too')

  const noSunset = await buildTestApp(t)
  const other = await createUserWithToken(noSunset)
  t.equal((await v1(noSunset, other.authorization, 'GET', '/campaigns/')).headers.sunset, undefined, 'no Sunset unless configured')
})

t.test('OpenAPI shows both versions: every v1 operation deprecated under one tag, v2 not', async (t) => {
  const app = await buildTestApp(t)
  await app.ready()
  const doc = app.swagger() as { paths: Record<string, Record<string, { deprecated?: boolean, tags?: string[] }>> }
  const v1Operations = [
    'get /campaigns/', 'post /campaigns/', 'get /campaigns/search-by-date/', 'get /campaigns/{name}', 'put /campaigns/{name}', 'delete /campaigns/{name}',
    'post /auth/register', 'post /auth/token', 'get /auth/me', 'post /auth/refresh', 'post /auth/logout', 'post /auth/create_user'
  ]
  for (const operation of v1Operations) {
    const [method, path] = operation.split(' ')
    const found = doc.paths[path]?.[method]
    t.ok(found, `${operation} is documented`)
    t.equal(found?.deprecated, true, `${operation} is deprecated`)
    t.same(found?.tags, ['v1 (legacy)'], `${operation} has the v1 tag`)
  }
  const v2Operations = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v2/')).flatMap(([, ops]) => Object.values(ops))
  t.ok(v2Operations.length > 10, 'v2 is documented')
  t.ok(v2Operations.every((op) => !op.deprecated), 'no v2 operation is deprecated')
  const rootPaths = Object.keys(doc.paths).filter((path) => !path.startsWith('/v2/'))
  t.ok(rootPaths.every((path) => path.startsWith('/health') || v1Operations.some((op) => op.endsWith(` ${path}`))), `the root holds v1 and health only: ${rootPaths}`)
})

t.test('legacy_api_requests_total counts v1 traffic by route in /metrics', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  await v1(app, owner.authorization, 'GET', '/campaigns/')
  await v1(app, owner.authorization, 'GET', '/campaigns/')
  await v1(app, owner.authorization, 'GET', '/campaigns/Missing')
  await app.inject({ url: '/v2/campaigns', headers: { authorization: owner.authorization } })
  const metrics = (await app.inject({ url: '/metrics' })).body
  t.match(metrics, /legacy_api_requests_total\{route="\/campaigns\/"\} 2/)
  t.match(metrics, /legacy_api_requests_total\{route="\/campaigns\/:name"\} 1/)
  t.notMatch(metrics, /legacy_api_requests_total\{route="\/v2/, 'v2 is not counted')
})
