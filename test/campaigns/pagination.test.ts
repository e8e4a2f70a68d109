import t from 'tap'
import { SORTS } from '../../schemas/campaigns.js'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { insertCampaigns, type CampaignSpec } from '../support/campaign-fixtures.js'
import { referenceOrder, walk, type Row } from './support.js'

/** 37 campaigns with repeated keys and NULLs in both nullable sort keys, so ties and NULLs are walked. */
function specs (count: number, prefix = 'camp'): CampaignSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}${String((i * 17) % 101).padStart(3, '0')}x${i}`,
    fecha_inicio: `2025-0${1 + (i % 3)}-0${1 + (i % 2)}`,
    fecha_fin: '2025-12-31',
    impactos_personas: i % 5 === 0 ? null : 1000 * (i % 4),
    alcance: i % 7 === 0 ? null : 10 * (i % 3)
  }))
}

async function rowsOf (app: Awaited<ReturnType<typeof buildTestApp>>, companyId: number): Promise<Row[]> {
  return app.db.selectFrom('campaigns').select(['id', 'name', 'fecha_inicio', 'fecha_fin', 'tipo_campania', 'impactos_personas', 'alcance'])
    .where('company_id', '=', companyId).execute()
}

t.test('every sort walks every row exactly once, in the documented order', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  await insertCampaigns(app.db, user.companyId, specs(37))
  const rows = await rowsOf(app, user.companyId)
  for (const sort of SORTS) {
    for (const limit of ['1', '4', '100']) {
      const names = await walk(t, app, user.authorization, { sort, limit })
      t.same(names, referenceOrder(rows, sort), `sort=${sort} limit=${limit}`)
    }
  }
})

t.test('rows inserted mid-walk never make a page repeat or skip an existing row', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  await insertCampaigns(app.db, user.companyId, specs(30))
  const before = await rowsOf(app, user.companyId)
  for (const sort of SORTS) {
    let round = 0
    const names = await walk(t, app, user.authorization, { sort, limit: '4' }, async (page) => {
      // New rows land before, among and after the walked positions (and some with NULL keys);
      // only early on, since rows landing ahead of the cursor are walked too and would keep it going.
      if (page < 4) await insertCampaigns(app.db, user.companyId, specs(3, `mid${sort.replace('-', 'd')}${page}r${round++}n`))
    })
    const seen = new Set(names)
    t.equal(seen.size, names.length, `sort=${sort}: no row twice`)
    t.ok(before.every((r) => seen.has(r.name)), `sort=${sort}: every pre-existing row seen`)
    // Whatever was walked is in the documented order of the rows as they are now.
    const now = referenceOrder(await rowsOf(app, user.companyId), sort).filter((n) => seen.has(n))
    t.same(names, now, `sort=${sort}: walked in order`)
  }
})

t.test('include_total counts every match; without it there is no total', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  await insertCampaigns(app.db, user.companyId, specs(12))
  const withTotal = await app.inject({ url: '/v2/campaigns?include_total=true&limit=5', headers: { authorization: user.authorization } })
  t.equal(withTotal.json().total, 12)
  t.equal(withTotal.json().page_size, 5)
  t.equal(withTotal.json().data.length, 5)
  const without = await app.inject({ url: '/v2/campaigns', headers: { authorization: user.authorization } })
  t.notOk('total' in without.json())
  t.equal(without.json().data.length, 5, 'default limit 5')
})

t.test('the last page has next_cursor null and no Link header', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  await insertCampaigns(app.db, user.companyId, specs(5))
  const response = await app.inject({ url: '/v2/campaigns?limit=5', headers: { authorization: user.authorization } })
  t.equal(response.json().next_cursor, null)
  t.equal(response.headers.link, undefined)
  const item = response.json().data[0]
  t.match(item, { sites_count: 0, periods_count: 0 })
  t.notOk('company_id' in item || 'id' in item, 'internal ids stay inside')
})
