import { sql, type Kysely, type Transaction } from 'kysely'
import type { CampaignFilters } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'

type Db = Kysely<Database> | Transaction<Database>

/**
 * Whether the flight totals (db/migrations/0005_overview_aggregates.ts) answer these filters
 * exactly: a campaign's type and flight decide tipo_campania, start_date and end_date alone, so
 * each flight's row is wholly in or out. A name substring (q), a zone or a state depend on the
 * campaign itself: those go to the campaigns, through their indexes (repository.ts).
 */
export const servedByFlights = (filters: CampaignFilters): boolean => !filters.q && !filters.zm && !filters.estado

const totals = () => [
  sql<number>`coalesce(sum(t.campaigns), 0)`.as('campaigns'),
  sql<string>`coalesce(sum(t.impactos_personas), 0)::text`.as('impactos_personas'),
  sql<string>`coalesce(sum(t.impactos_vehiculos), 0)::text`.as('impactos_vehiculos'),
  sql<string>`coalesce(sum(t.alcance), 0)::text`.as('alcance')
]

/** The company's flight totals rows that the type and date filters select (aliased `t`). */
export function flightsMatching (db: Db, companyId: number, filters: Pick<CampaignFilters, 'tipo_campania' | 'start_date' | 'end_date'>) {
  let flights = db.selectFrom('campaign_flight_totals as t').where('t.company_id', '=', companyId)
  if (filters.tipo_campania) flights = flights.where('t.tipo_campania', '=', filters.tipo_campania)
  // The flight [fecha_inicio, fecha_fin] overlaps [start_date, end_date], as the list's filter.
  if (filters.start_date) flights = flights.where('t.fecha_fin', '>=', filters.start_date)
  if (filters.end_date) flights = flights.where('t.fecha_inicio', '<=', filters.end_date)
  return flights
}

/** The overview's totals, by type and by month of flight start, summed over the company's flights (not its campaigns). */
export async function overviewByFlight (db: Db, companyId: number, filters: CampaignFilters) {
  const base = flightsMatching(db, companyId, filters).where('t.campaigns', '>', 0)
  const month = sql<string>`to_char(t.fecha_inicio, 'YYYY-MM')`
  const [overall, byTipo, byMonth] = await Promise.all([
    base.select(totals()).executeTakeFirstOrThrow(),
    base.select('t.tipo_campania').select(totals()).groupBy('t.tipo_campania').orderBy('t.tipo_campania').execute(),
    base.select(month.as('month')).select(totals()).groupBy(month).orderBy('month').execute()
  ])
  return { overall, byTipo, byMonth }
}
