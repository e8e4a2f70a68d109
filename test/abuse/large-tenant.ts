import { sql, type Kysely } from 'kysely'
import type { Database } from '../../src/db/schema.js'
import { campaign, period, site, type Export } from '../imports/fixtures.js'

/** `campaigns` campaigns with 3 periods and 2 of 500 sites each (generate_series, as scripts/bench-data.ts), for a slow overview. */
export async function fillLargeTenant (kysely: Kysely<Database>, companyId: number, campaigns: number): Promise<void> {
  await kysely.transaction().execute(async (db) => {
  // Longer than the pool's statement timeout on a busy machine.
    await sql`set local statement_timeout = 0`.execute(db)
    await sql`
    insert into sites (company_id, codigo_del_sitio, tipo_de_mueble, estado, municipio, zm)
    select ${companyId}, 'S' || g, 'Muro', 'Estado ' || (g % 10), 'Municipio ' || (g % 50), 'ZM ' || (g % 10)
    from generate_series(1, 500) as g`.execute(db)
    await sql`
    insert into campaigns (company_id, name, tipo_campania, fecha_inicio, fecha_fin, periods, sites, impactos_personas, impactos_vehiculos, alcance)
    select ${companyId}, 'Campaña ' || g, case when g % 3 = 0 then 'mensual' else 'catorcenal' end,
      date '2024-01-01' + (g % 700), date '2024-01-01' + (g % 700) + 41, array['2025-01', '2025-02', '2025-03'], 5,
      (g::bigint * 7919) % 5000000, (g::bigint * 104729) % 2000000, (g::bigint * 31) % 1500000
    from generate_series(1, ${campaigns}) as g`.execute(db)
    // Site ids of this company by position: other test files insert sites at the same time, so its ids need not be contiguous.
    await sql`
    insert into campaign_site_periods (company_id, campaign_id, site_id, id_fourteen, mes, impactos_catorcenal, impactos_mensuales)
    select c.company_id, c.id, s.ids[1 + (c.id * 5 + k) % 500], p.code, p.code, (c.id * 13 + k * 7) % 100000, (c.id * 29 + k) % 200000
    from campaigns c
      cross join (select array_agg(id order by id) as ids from sites where company_id = ${companyId}) as s
      cross join generate_series(0, 1) as k cross join unnest(c.periods) as p(code)
    where c.company_id = ${companyId}`.execute(db)
  })
  await sql`analyze campaigns, sites, campaign_site_periods`.execute(kysely)
}

/** An export of `count` campaigns, each with two months and one site over two catorcenas: an import that takes a while. */
export function largeExport (prefix: string, count: number): Export {
  const data: Export = { campaigns: [], periods: [], sites: [] }
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`
    data.campaigns.push(campaign(name))
    data.periods.push(period(name, '2025-01', '1500', '500'), period(name, '2025-02', '1500', '500'))
    data.sites.push(site(name, `${name}-SITE-1`, '2025-01'), site(name, `${name}-SITE-1`, '2025-02', { mes: '2025-01' }))
  }
  return data
}
