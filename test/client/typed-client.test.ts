import createClient from 'openapi-fetch'
import t from 'tap'
import { buildTestApp, uniqueName } from '../helper.js'
import { buildCampaign } from '../support/campaign-fixtures.js'
import type { paths } from './api-types.js'

const PASSWORD = 'Tangerine-Violin-42'

/**
 * A client's journey through openapi-fetch, typed by what openapi-typescript generates from the
 * served document (test/client/api-types.ts; .ci/run regenerates it before the typecheck): a
 * breaking change of a path, a parameter or a response field fails `npm run typecheck` here.
 */
t.test('login, list, detail and a summary through the generated client, against the listening app', async (t) => {
  const app = await buildTestApp(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const client = createClient<paths>({ baseUrl: `http://127.0.0.1:${port}` })

  const email = `${uniqueName('typed-client')}@example.com`
  const registered = await client.POST('/v2/auth/register', { body: { email, password: PASSWORD } })
  t.equal(registered.response.status, 201, JSON.stringify(registered.error))
  const owner = registered.data!
  const name = uniqueName('Typed campaign')
  await buildCampaign(app.db, owner.company_id, { name, impactos_personas: 4200 }, {
    periods: [{ period: '2025-01', personas: 100, vehiculos: 10 }, { period: '2025-02', personas: 200, vehiculos: null }],
    sites: [{ codigo_del_sitio: 'T-1', zm: 'Monterrey' }]
  })

  const login = await client.POST('/v2/auth/token', { body: { email, password: PASSWORD } })
  t.equal(login.response.status, 200, JSON.stringify(login.error))
  const tokens = login.data!
  t.equal(tokens.token_type, 'bearer')
  const headers = { authorization: `Bearer ${tokens.access_token}` }

  const list = await client.GET('/v2/campaigns', { params: { query: { limit: 10, q: name } }, headers })
  t.equal(list.response.status, 200, JSON.stringify(list.error))
  t.same(list.data!.data.map((campaign) => campaign.name), [name])
  t.equal(list.data!.next_cursor, null, 'one page')
  t.equal(list.data!.data[0].impactos_personas, 4200)

  const detail = await client.GET('/v2/campaigns/{name}', { params: { path: { name } }, headers })
  t.equal(detail.response.status, 200, JSON.stringify(detail.error))
  t.equal(detail.data!.campaign.name, name)
  t.same(detail.data!.periods.map((period) => period.period), ['2025-01', '2025-02'])
  t.same(detail.data!.sites.map((site) => site.codigo_del_sitio), ['T-1'])

  const summary = await client.GET('/v2/campaigns/{name}/summary', { params: { path: { name } }, headers })
  t.equal(summary.response.status, 200, JSON.stringify(summary.error))
  t.equal(summary.data!.name, name)
  t.equal(summary.data!.totals.impactos_personas, 4200)
  t.equal(summary.data!.totals.sites_count, 1)
  t.equal(summary.data!.totals.periods_count, 2)

  // The error side is typed too: a problem document.
  const missing = await client.GET('/v2/campaigns/{name}', { params: { path: { name: uniqueName('absent') } }, headers })
  t.equal(missing.response.status, 404)
  t.equal(missing.error?.status, 404)
})
