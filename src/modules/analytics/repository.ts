import { sql, type Kysely, type Transaction } from 'kysely'
import type { CampaignFilters } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'
import { preparedQuery } from '../../db/prepared.js'
import { filterConditions } from '../campaigns/filters.js'

type Db = Kysely<Database> | Transaction<Database>

/** The campaign's own figures plus its facts aggregated, and the derived ratios, in one statement (undefined when absent). */
export async function campaignFigures (db: Db, companyId: number, name: string) {
  const [row] = await figures(db, companyId, name)
  return row
}

const figures = preparedQuery('campaign_figures', (db: Db, companyId: number, name: string) => db.selectFrom('campaigns as c')
  .leftJoinLateral((eb) => eb.selectFrom('campaign_site_periods as f')
    .select((e) => [e.fn.count<number>('f.site_id').distinct().as('sites'), sql<string>`coalesce(sum(f.impactos_catorcenal), 0)::text`.as('impactos')])
    .whereRef('f.company_id', '=', 'c.company_id').whereRef('f.campaign_id', '=', 'c.id').as('fa'), (join) => join.onTrue())
  .leftJoinLateral((eb) => eb.selectFrom('campaign_periods as cp')
    .select((e) => e.fn.countAll<number>().as('periods'))
    .whereRef('cp.company_id', '=', 'c.company_id').whereRef('cp.campaign_id', '=', 'c.id').as('pa'), (join) => join.onTrue())
  .selectAll('c')
  .select([
    'fa.sites as sites_count', 'fa.impactos as impactos_sitios', 'pa.periods as periods_count',
    sql<number | null>`c.impactos_personas::float8 / nullif(fa.sites, 0)`.as('impactos_por_sitio'),
    sql<number | null>`c.impactos_personas::float8 / nullif(pa.periods, 0)`.as('impactos_por_periodo'),
    sql<number | null>`c.alcance::float8 / nullif(c.universo_zona_metro, 0)`.as('alcance_share_universo'),
    sql<number | null>`c.impactos_personas::float8 / nullif(c.alcance, 0)`.as('frecuencia_efectiva'),
    // An unknown hour (NULL) is never the peak, and makes the day's total unknown.
    sql<number | null>`(select u.h - 1 from unnest(c.hourly_vehicle_count) with ordinality as u(v, h) where u.v is not null order by u.v desc, u.h limit 1)`.as('peak_hour'),
    sql<number | null>`(select case when count(v) = count(*) then sum(v) end from unnest(c.hourly_vehicle_count) as v)`.as('hourly_total')
  ])
  .where('c.company_id', '=', companyId).where('c.name', '=', name), [0, 'example'])

/** The period series with the change from the previous period (window functions). */
export async function periodSeries (db: Db, companyId: number, campaignId: number) {
  const { rows } = await sql<{ period: string, impactos_periodo_personas: number | null, impactos_periodo_vehiculos: number | null, change_personas: number | null, change_personas_pct: number | null, change_vehiculos: number | null, change_vehiculos_pct: number | null }>`
    select period, impactos_periodo_personas, impactos_periodo_vehiculos,
      impactos_periodo_personas - lag(impactos_periodo_personas) over w as change_personas,
      (impactos_periodo_personas - lag(impactos_periodo_personas) over w)::float8 / nullif(lag(impactos_periodo_personas) over w, 0) as change_personas_pct,
      impactos_periodo_vehiculos - lag(impactos_periodo_vehiculos) over w as change_vehiculos,
      (impactos_periodo_vehiculos - lag(impactos_periodo_vehiculos) over w)::float8 / nullif(lag(impactos_periodo_vehiculos) over w, 0) as change_vehiculos_pct
    from campaign_periods
    where company_id = ${companyId} and campaign_id = ${campaignId}
    window w as (order by period)
    order by period`.execute(db)
  return rows
}

type Stats = { total: string, average: number | null, min_period: string | null, min_value: number | null, max_period: string | null, max_value: number | null }

/** Totals, averages and the extreme periods of one column of the series. */
export async function periodStats (db: Db, companyId: number, campaignId: number, column: 'impactos_periodo_personas' | 'impactos_periodo_vehiculos'): Promise<Stats> {
  const c = sql.ref(column)
  const { rows } = await sql<Stats>`
    select coalesce(sum(${c}), 0)::text as total, avg(${c})::float8 as average,
      (array_agg(period order by ${c} asc, period) filter (where ${c} is not null))[1] as min_period, min(${c}) as min_value,
      (array_agg(period order by ${c} desc, period) filter (where ${c} is not null))[1] as max_period, max(${c}) as max_value
    from campaign_periods where company_id = ${companyId} and campaign_id = ${campaignId}`.execute(db)
  return rows[0]
}

/**
 * A fact's vehicle reach (double precision, as exported) as the exact decimal it was printed as:
 * float8's text is the shortest decimal that reads back as the stored double (PostgreSQL 12+),
 * where a direct ::numeric keeps 15 significant digits only. Summed as numeric, so no binary noise.
 */
const EXACT_REACH = sql`f.alcance_vehiculos_catorcenal::text::numeric`

export const SITE_DIMENSIONS = ['tipo_de_mueble', 'tipo_de_anuncio', 'estado', 'municipio', 'zm'] as const

/** Every dimension's breakdown in one pass: each fact row fans out to one (dimension, value) per dimension. */
export async function siteBreakdowns (db: Db, companyId: number, campaignId: number) {
  const { rows } = await sql<{ dimension: typeof SITE_DIMENSIONS[number], value: string | null, sites: number, impactos: string, alcance: string }>`
    select d.dimension, d.value, count(distinct s.id) as sites,
      coalesce(sum(f.impactos_catorcenal), 0)::text as impactos, coalesce(sum(${EXACT_REACH}), 0)::text as alcance
    from campaign_site_periods f
    join sites s on s.company_id = f.company_id and s.id = f.site_id
    cross join lateral (values ('tipo_de_mueble', s.tipo_de_mueble), ('tipo_de_anuncio', s.tipo_de_anuncio),
      ('estado', s.estado), ('municipio', s.municipio), ('zm', s.zm)) as d(dimension, value)
    where f.company_id = ${companyId} and f.campaign_id = ${campaignId}
    group by d.dimension, d.value
    order by d.dimension, coalesce(sum(f.impactos_catorcenal), 0) desc, d.value nulls last`.execute(db)
  return rows
}

export function topSites (db: Db, companyId: number, campaignId: number, limit: number) {
  return db.selectFrom('campaign_site_periods as f')
    .innerJoin('sites as s', (join) => join.onRef('s.company_id', '=', 'f.company_id').onRef('s.id', '=', 'f.site_id'))
    .select(['s.codigo_del_sitio', 's.tipo_de_mueble', 's.estado', 's.zm'])
    .select([
      sql<string>`coalesce(sum(f.impactos_catorcenal), 0)::text`.as('impactos'),
      sql<string>`coalesce(sum(${EXACT_REACH}), 0)::text`.as('alcance')
    ])
    // Ordered by the exact sum: its text would order "9" after "10".
    .orderBy(sql`coalesce(sum(f.impactos_catorcenal), 0)`, 'desc')
    .where('f.company_id', '=', companyId).where('f.campaign_id', '=', campaignId)
    .groupBy(['s.company_id', 's.id'])
    .orderBy('s.codigo_del_sitio')
    .limit(limit)
    .execute()
}

const totalColumns = () => [
  sql<number>`count(*)`.as('campaigns'),
  sql<string>`coalesce(sum(c.impactos_personas), 0)::text`.as('impactos_personas'),
  sql<string>`coalesce(sum(c.impactos_vehiculos), 0)::text`.as('impactos_vehiculos'),
  sql<string>`coalesce(sum(c.alcance), 0)::text`.as('alcance')
]

/** The company's campaigns (filtered like the list) aggregated: overall, by type, by month of flight start. */
export async function overviewByCampaign (db: Db, companyId: number, filters: CampaignFilters) {
  const base = db.selectFrom('campaigns as c').where((eb) => eb.and(filterConditions(eb, companyId, filters)))
  const [overall, byTipo, byMonth] = await Promise.all([
    base.select(totalColumns()).executeTakeFirstOrThrow(),
    base.select('c.tipo_campania').select(totalColumns()).groupBy('c.tipo_campania').orderBy('c.tipo_campania').execute(),
    base.select(sql<string>`to_char(c.fecha_inicio, 'YYYY-MM')`.as('month')).select(totalColumns()).groupBy(sql`to_char(c.fecha_inicio, 'YYYY-MM')`).orderBy('month').execute()
  ])
  return { overall, byTipo, byMonth }
}

/** by_zm over the campaigns the filters select, from each one's sites (db/migrations/0007_zone_aggregates.ts): no fact is read. */
export function overviewByZone (db: Db, companyId: number, filters: CampaignFilters) {
  return db.selectFrom('campaigns as c')
    .innerJoin(sql<{ site_id: string, zm: string | null, impactos: string }>`unnest(c.site_ids, c.site_zms, c.site_impactos)`.as<'u'>(sql`u(site_id, zm, impactos)`), (join) => join.onTrue())
    .where((eb) => eb.and(filterConditions(eb, companyId, filters)))
    .select(['u.zm', sql<number>`count(distinct c.id)`.as('campaigns'), sql<number>`count(distinct u.site_id)`.as('sites'), sql<string>`sum(u.impactos)::text`.as('impactos')])
    .groupBy('u.zm')
    .orderBy(sql`sum(u.impactos)`, 'desc').orderBy('u.zm')
    .execute()
}
