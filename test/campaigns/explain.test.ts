import t from 'tap'
import { CompiledQuery, sql } from 'kysely'
import { SORTS, type CampaignFilters } from '../../schemas/campaigns.js'
import { listSegments, segmentQuery } from '../../src/modules/campaigns/list-repository.js'
import type { CursorPosition } from '../../src/modules/campaigns/cursor.js'
import { ENGINE, buildTestApp, createUserWithToken } from '../helper.js'

// The list must cost the same at any depth: every segment query an index range scan on
// campaigns, never a sequential scan, never OFFSET. Checked on the engine the suite runs on.
t.test(`the list query plans are index range scans without OFFSET (${ENGINE})`, async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  await sql`
    insert into campaigns (company_id, name, tipo_campania, fecha_inicio, fecha_fin, impactos_personas, alcance)
    select ${user.companyId}, 'gen' || lpad(g::text, 6, '0'), case when g % 2 = 0 then 'mensual' else 'catorcenal' end,
      date '2024-01-01' + (g % 365), date '2024-01-01' + (g % 365) + 30,
      case when g % 10 = 0 then null else (g * 7919) % 100000 end, case when g % 13 = 0 then null else (g * 104729) % 50000 end
    from generate_series(1, 4000) as g`.execute(app.db)
  // Sites in a few zones and states, each campaign with facts at one or two of them: the
  // triggers fill the campaigns' zms and estados, which the zm and estado filters read.
  await sql`
    insert into sites (company_id, codigo_del_sitio, zm, estado)
    select ${user.companyId}, 'site' || g, (array['Monterrey', 'Guadalajara', 'Valle de México', 'Tijuana', 'Puebla'])[1 + g % 5],
      (array['Nuevo León', 'Jalisco', 'CDMX', 'Baja California', 'Puebla'])[1 + g % 5]
    from generate_series(1, 50) as g`.execute(app.db)
  await sql`
    insert into campaign_site_periods (company_id, campaign_id, site_id, id_fourteen)
    select c.company_id, c.id, s.id, '2024-01'
    from campaigns c join sites s on s.company_id = c.company_id and s.codigo_del_sitio in ('site' || (1 + c.id % 50), 'site' || (1 + c.id % 7))
    where c.company_id = ${user.companyId}`.execute(app.db)
  await sql`analyze campaigns`.execute(app.db)
  await sql`analyze campaign_site_periods`.execute(app.db)

  const positions: Record<string, CursorPosition> = {
    name: { key: 'gen002000', id: 1 },
    fecha_inicio: { key: '2024-06-01', id: 2000 },
    impactos_personas: { key: 50000, id: 2000 },
    alcance: { key: 25000, id: 2000 }
  }
  const filterSets: CampaignFilters[] = [{}, { tipo_campania: 'mensual' }, { start_date: '2024-03-01' }, { end_date: '2024-05-01' }, { zm: 'Tijuana' }, { estado: 'Jalisco', tipo_campania: 'mensual' }]
  let plans = 0
  for (const sort of SORTS) {
    const column = sort.replace('-', '')
    for (const after of [undefined, positions[column], column === 'impactos_personas' || column === 'alcance' ? { key: null, id: 2000 } : undefined]) {
      for (const filters of filterSets) {
        for (const segment of listSegments(sort, after)) {
          const compiled = segmentQuery(app.db, user.companyId, filters, segment, 6).compile()
          t.notMatch(compiled.sql, /\boffset\b/i, 'no OFFSET in the SQL')
          const { rows } = await app.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]))
          const plan = rows.map((r) => r['QUERY PLAN']).join('\n')
          const label = `sort=${sort} after=${JSON.stringify(after ?? null)} filters=${JSON.stringify(filters)}`
          // A zone or state filter may also be answered by the campaigns' GIN index (a bitmap scan of
          // the company's campaigns there, then the page's top-N): still campaigns only, never a fact.
          const zoned = filters.zm !== undefined || filters.estado !== undefined
          const indexed = /Index (Only )?Scan( Backward)? using \w+ on campaigns/.test(plan) ||
            (zoned && /Bitmap Index Scan on campaigns_(zms|estados)_idx/.test(plan))
          if (/Seq Scan on campaigns|\bOffset\b/.test(plan) || !indexed) {
            t.fail(`${label}: not an index range scan\n${plan}`)
          } else if (/campaign_site_periods|campaign_periods|\bsites\b/.test(plan)) {
            t.fail(`${label}: the page reads facts or periods; its counts and zones are on the campaign's row\n${plan}`)
          } else plans++
        }
      }
    }
  }
  t.ok(plans > 50, `${plans} plans checked`)
})
