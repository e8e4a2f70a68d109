import t from 'tap'
import { sql } from 'kysely'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { insertCampaigns } from '../support/campaign-fixtures.js'
import { v1 } from './support.js'

type Spec = { name: string, tipo_campania: 'mensual' | 'catorcenal', fecha_inicio: string, fecha_fin: string }

/** 23 campaigns with known flights and types, inserted in a known order (their creation order). */
function specs (): Spec[] {
  return Array.from({ length: 23 }, (_, i) => ({
    // Names out of creation order, so a name order would show.
    name: `c-${String((i * 7) % 23).padStart(2, '0')}`,
    tipo_campania: i % 3 === 0 ? 'mensual' : 'catorcenal',
    fecha_inicio: `2025-${String(1 + (i % 12)).padStart(2, '0')}-01`,
    fecha_fin: `2025-${String(1 + (i % 12)).padStart(2, '0')}-28`
  }))
}

async function pages (app: Awaited<ReturnType<typeof buildTestApp>>, authorization: string, limit: number, filters = '') {
  const names: string[] = []
  const totals = new Set<number>()
  for (let skip = 0; skip < 200; skip += limit) {
    const body = (await v1(app, authorization, 'GET', `/campaigns/?skip=${skip}&limit=${limit}${filters}`)).json()
    totals.add(body.total)
    if (body.data.length === 0) break
    names.push(...body.data.map((c: { name: string }) => c.name))
  }
  return { names, totals: [...totals] }
}

t.test('paging by skip walks every campaign exactly once, in creation order, with an exact total', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  const campaigns = specs()
  await insertCampaigns(app.db, owner.companyId, campaigns)
  const creationOrder = campaigns.map((c) => c.name)
  // Page sizes that split the 23 evenly, unevenly, and into pages read from the front and the back.
  for (const limit of [1, 4, 5, 10, 23, 100]) {
    const { names, totals } = await pages(app, owner.authorization, limit)
    t.same(names, creationOrder, `limit ${limit}: every campaign once, in creation order`)
    t.same(totals, [23], `limit ${limit}: total is exact on every page`)
  }
  const past = (await v1(app, owner.authorization, 'GET', '/campaigns/?skip=23&limit=5')).json()
  t.same({ data: past.data, total: past.total, page: past.page }, { data: [], total: 23, page: 4 }, 'past the end: no rows, the total')
})

t.test('the type and date filters match a reference computed here', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  const campaigns = specs()
  await insertCampaigns(app.db, owner.companyId, campaigns)
  const cases: Array<[string, (c: Spec) => boolean]> = [
    ['&tipo_campania=mensual', (c) => c.tipo_campania === 'mensual'],
    ['&start_date=2025-03-15&end_date=2025-06-01', (c) => c.fecha_inicio <= '2025-06-01' && c.fecha_fin >= '2025-03-15'],
    ['&tipo_campania=catorcenal&start_date=2025-03-15&end_date=2025-06-01', (c) => c.tipo_campania === 'catorcenal' && c.fecha_inicio <= '2025-06-01' && c.fecha_fin >= '2025-03-15'],
    // As the old service read them: a datetime is its date.
    ['&start_date=2025-03-15T00:00:00&end_date=2025-06-01T00:00:00', (c) => c.fecha_inicio <= '2025-06-01' && c.fecha_fin >= '2025-03-15'],
    // The date filter applies only when both ends are given.
    ['&start_date=2025-11-01', () => true],
    ['&end_date=2025-01-01', () => true]
  ]
  for (const [filters, matches] of cases) {
    const expected = campaigns.filter(matches).map((c) => c.name)
    const { names, totals } = await pages(app, owner.authorization, 4, filters)
    t.same(names, expected, `${filters}: the matching campaigns in creation order`)
    t.same(totals, [expected.length], `${filters}: total counts every match`)
  }
  const reversed = await v1(app, owner.authorization, 'GET', '/campaigns/?start_date=2025-06-01&end_date=2025-03-15')
  t.equal(reversed.statusCode, 400, 'start after end')
  for (const bad of ['skip=-1', 'limit=0', 'limit=101', 'tipo_campania=semanal', 'start_date=2025-13-01&end_date=2025-12-01', 'cursor=x']) {
    const response = await v1(app, owner.authorization, 'GET', `/campaigns/?${bad}`)
    t.equal(response.statusCode, 400, `${bad} is a 400`)
    t.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', `${bad}: a problem document`)
  }
})

t.test('pages far from the start (read from the nearer end, forwards or backwards) are the reference\'s, with the total, filtered or not', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app)
  // Past the first thousand rows a page comes from the two-branch statement: enough campaigns for
  // its forwards branch (before the middle) and its backwards one (after it).
  await sql`
    insert into campaigns (company_id, name, tipo_campania, fecha_inicio, fecha_fin)
    select ${owner.companyId}, 'deep-' || lpad(((g * 7919) % 2600)::text, 4, '0'), case when g % 3 = 0 then 'catorcenal' else 'mensual' end,
      date '2025-01-01' + (g % 300), date '2025-01-01' + (g % 300) + 20
    from generate_series(1, 2600) as g order by g`.execute(app.db)
  const reference = async (filters: string) => {
    const tipo = filters.includes('tipo_campania=mensual') ? sql`and tipo_campania = 'mensual'` : sql``
    const dates = filters.includes('start_date') ? sql`and fecha_fin >= '2025-02-01' and fecha_inicio <= '2025-09-30'` : sql``
    const { rows } = await sql<{ name: string }>`select name from campaigns where company_id = ${owner.companyId} ${tipo} ${dates} order by id`.execute(app.db)
    return rows.map((r) => r.name)
  }
  // Each set matches over 1,000 campaigns, so both branches serve it.
  for (const filters of ['', '&tipo_campania=mensual', '&start_date=2025-02-01&end_date=2025-09-30', '&tipo_campania=mensual&start_date=2025-02-01&end_date=2025-09-30']) {
    const names = await reference(filters)
    t.ok(names.length > 1000 + 7, `${filters || 'unfiltered'}: ${names.length} campaigns match`)
    for (const skip of [999, 1000, 1003, Math.floor(names.length / 2) - 3, names.length - 1001, names.length - 7, names.length - 1, names.length, names.length + 5]) {
      const body = (await v1(app, owner.authorization, 'GET', `/campaigns/?skip=${skip}&limit=7${filters}`)).json()
      t.same({ names: body.data.map((c: { name: string }) => c.name), total: body.total }, { names: names.slice(skip, skip + 7), total: names.length }, `${filters || 'unfiltered'}, skip ${skip} of ${names.length}`)
    }
  }
})
