import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely'
import type { CampaignFilters } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'

type Db = Kysely<Database> | Transaction<Database>

/**
 * Whether the maintained aggregates answer these filters exactly: a campaign's type and flight
 * decide tipo_campania, start_date and end_date alone, so each flight's row is wholly in or out
 * (db/migrations/0005_overview_aggregates.ts); a zone or a state selects its own rows
 * (db/migrations/0007_zone_aggregates.ts), one of them at a time. A name substring (q), or a zone
 * and a state together, go to the campaigns, through their indexes (repository.ts).
 */
export const totalsServedByAggregates = (filters: CampaignFilters): boolean => !filters.q && !(filters.zm && filters.estado)

const totals = () => [
  sql<number>`coalesce(sum(t.campaigns), 0)`.as('campaigns'),
  sql<string>`coalesce(sum(t.impactos_personas), 0)::text`.as('impactos_personas'),
  sql<string>`coalesce(sum(t.impactos_vehiculos), 0)::text`.as('impactos_vehiculos'),
  sql<string>`coalesce(sum(t.alcance), 0)::text`.as('alcance')
]

type FlightFilters = Pick<CampaignFilters, 'tipo_campania' | 'start_date' | 'end_date'>

/** The company's flight totals rows that the type and date filters select (aliased `t`). */
export function flightsMatching (db: Db, companyId: number, filters: FlightFilters) {
  return matching(db.selectFrom('campaign_flight_totals as t'), companyId, filters)
}

function matching<QB extends SelectQueryBuilder<any, 't', {}>> (query: QB, companyId: number, filters: FlightFilters): QB {
  let flights = query.where('t.company_id', '=', companyId) as QB
  if (filters.tipo_campania) flights = flights.where('t.tipo_campania', '=', filters.tipo_campania) as QB
  // The flight [fecha_inicio, fecha_fin] overlaps [start_date, end_date], as the list's filter.
  if (filters.start_date) flights = flights.where('t.fecha_fin', '>=', filters.start_date) as QB
  if (filters.end_date) flights = flights.where('t.fecha_inicio', '<=', filters.end_date) as QB
  return flights
}

/** The rows (of a table of db/migrations/0007_zone_aggregates.ts) over the campaigns the zm or estado filter selects, or over all. */
function selected<QB extends SelectQueryBuilder<any, 't', {}>> (query: QB, filters: Pick<CampaignFilters, 'zm' | 'estado'>): QB {
  const zone = filters.zm ? query.where('t.with_zm', '=', filters.zm) : query.where('t.with_zm', 'is', null)
  return (filters.estado ? zone.where('t.with_estado', '=', filters.estado) : zone.where('t.with_estado', 'is', null)) as QB
}

/** The overview's totals, by type and by month of flight start, summed over the company's flights (not its campaigns). */
export async function totalsFromAggregates (db: Db, companyId: number, filters: CampaignFilters) {
  const base = (filters.zm || filters.estado
    ? selected(matching(db.selectFrom('flight_selection_totals as t'), companyId, filters), filters)
    : flightsMatching(db, companyId, filters)).where('t.campaigns', '>', 0)
  const month = sql<string>`to_char(t.fecha_inicio, 'YYYY-MM')`
  const [overall, byTipo, byMonth] = await Promise.all([
    base.select(totals()).executeTakeFirstOrThrow(),
    base.select('t.tipo_campania').select(totals()).groupBy('t.tipo_campania').orderBy('t.tipo_campania').execute(),
    base.select(month.as('month')).select(totals()).groupBy(month).orderBy('month').execute()
  ])
  return { overall, byTipo, byMonth }
}

/**
 * Whether the site and zone aggregates answer by_zm: as the totals, except a zone or a state with
 * dates (the per-flight rows are over all campaigns only; db/migrations/0007_zone_aggregates.ts).
 */
export const zonesServedByAggregates = (filters: CampaignFilters): boolean =>
  totalsServedByAggregates(filters) && !((filters.start_date || filters.end_date) && (filters.zm || filters.estado))

/**
 * The overview's by_zm from the site and zone aggregates: per type and selection without dates
 * (at most types x sites rows), per flight with them. A site counts in a zone once, whatever the
 * flights and types it carries; a campaign counts once in each of its zones.
 */
export async function zonesFromAggregates (db: Db, companyId: number, filters: CampaignFilters) {
  const perFlight = Boolean(filters.start_date || filters.end_date)
  // Typed as the per-flight tables: the per-type ones have the selection columns instead of the
  // dates, and each is filtered on its own columns only.
  const forFilters = <QB extends SelectQueryBuilder<any, 't', {}>> (query: QB): QB => {
    const flights = matching(query, companyId, filters)
    return perFlight ? flights : selected(flights, filters)
  }
  // Per site first (a hash aggregate), then per zone: no sort for a distinct count.
  const perSite = forFilters(db.selectFrom(perFlight ? 'flight_site_totals as t' : 'type_site_totals as t' as 'flight_site_totals as t'))
    .where('t.campaigns', '>', 0)
    .select(['t.company_id', 't.site_id', sql<string>`sum(t.impactos)`.as('impactos')])
    .groupBy(['t.company_id', 't.site_id'])
  const sites = db.selectFrom(perSite.as('x'))
    .innerJoin('sites as s', (join) => join.onRef('s.company_id', '=', 'x.company_id').onRef('s.id', '=', 'x.site_id'))
    .select(['s.zm', sql<number>`count(*)`.as('sites'), sql<string>`sum(x.impactos)`.as('impactos')])
    .groupBy('s.zm')
  const campaigns = forFilters(db.selectFrom(perFlight ? 'flight_zone_counts as t' : 'type_zone_counts as t' as 'flight_zone_counts as t'))
    .where('t.campaigns', '>', 0)
    .select(['t.zm', sql<number>`sum(t.campaigns)`.as('campaigns')])
    .groupBy('t.zm')
  return db.with('zone_sites', () => sites).with('zone_campaigns', () => campaigns)
    .selectFrom('zone_sites as s').innerJoin('zone_campaigns as c', (join) => join.on(sql<boolean>`c.zm is not distinct from s.zm`))
    .select(['s.zm', 'c.campaigns', 's.sites', sql<string>`s.impactos::text`.as('impactos')])
    .orderBy(sql`s.impactos`, 'desc').orderBy('s.zm')
    .execute()
}
