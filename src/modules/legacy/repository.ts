import { sql, type Kysely, type Transaction } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { CampaignFilters } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'
import { filterConditions } from '../campaigns/filters.js'
import { selectCampaign } from '../campaigns/list-repository.js'

type Db = Kysely<Database> | Transaction<Database>

/**
 * Campaigns in creation order (the old service's row order), `offset` rows in. From the end for
 * pages past the middle, so the deepest page is as cheap as the first: an OFFSET walks the index
 * from where it starts.
 */
export function campaignsInCreationOrder (db: Db, companyId: number, filters: CampaignFilters, page: { offset: number, limit: number, fromEnd: boolean }) {
  return selectCampaign(db.selectFrom('campaigns as c'))
    .where((eb) => eb.and(filterConditions(eb, companyId, filters)))
    .orderBy('c.id', page.fromEnd ? 'desc' : 'asc')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

/**
 * How many campaigns match the v1 filters (type, flight overlap), from the maintained flight totals
 * (db/migrations/0005): as many rows as the company has flights, not campaigns, so the exact total
 * costs the same at any size. Kept in the transaction of every campaign write, so it agrees with
 * the rows read in the same snapshot.
 */
export async function countByFlights (db: Db, companyId: number, filters: Pick<CampaignFilters, 'tipo_campania' | 'start_date' | 'end_date'>): Promise<number> {
  let flights = db.selectFrom('campaign_flight_totals as t').where('t.company_id', '=', companyId)
  if (filters.tipo_campania) flights = flights.where('t.tipo_campania', '=', filters.tipo_campania)
  if (filters.start_date) flights = flights.where('t.fecha_fin', '>=', filters.start_date)
  if (filters.end_date) flights = flights.where('t.fecha_inicio', '<=', filters.end_date)
  const row = await flights.select(sql<number>`coalesce(sum(t.campaigns), 0)`.as('total')).executeTakeFirstOrThrow()
  return Number(row.total)
}

// A period or a site-catorcena row has no id of its own: its key (campaign or site, and the period
// code YYYY-NN) makes one, the same on every read. 10^6 holds every YYYYNN.
const PERIOD_ID = sql<number>`c.id * 1000000 + replace(cp.period, '-', '')::int`
const SITE_PERIOD_ID = sql<number>`f.site_id * 1000000 + replace(f.id_fourteen, '-', '')::int`

/** A campaign with its period rows and its site rows (one per site and catorcena), in one statement. */
export function findLegacyDetail (db: Db, companyId: number, name: string) {
  return selectCampaign(db.selectFrom('campaigns as c'))
    .select((eb) => [
      jsonArrayFrom(eb.selectFrom('campaign_periods as cp')
        .select([PERIOD_ID.as('id'), 'cp.period', 'cp.impactos_periodo_personas', 'cp.impactos_periodo_vehiculos'])
        .whereRef('cp.company_id', '=', 'c.company_id').whereRef('cp.campaign_id', '=', 'c.id')
        .orderBy('cp.period')).as('period_rows'),
      jsonArrayFrom(eb.selectFrom('campaign_site_periods as f')
        .innerJoin('sites as s', (join) => join.onRef('s.company_id', '=', 'f.company_id').onRef('s.id', '=', 'f.site_id'))
        .select([SITE_PERIOD_ID.as('id'), 's.codigo_del_sitio', 's.tipo_de_mueble', 's.tipo_de_anuncio', 's.estado', 's.municipio', 's.zm',
          'f.frecuencia_catorcenal', 'f.frecuencia_mensual', 'f.impactos_catorcenal', 'f.impactos_mensuales', 'f.alcance_mensual'])
        .whereRef('f.company_id', '=', 'c.company_id').whereRef('f.campaign_id', '=', 'c.id')
        .orderBy('s.codigo_del_sitio').orderBy('f.id_fourteen')).as('site_rows')
    ])
    .where('c.company_id', '=', companyId)
    .where('c.name', '=', name)
    .executeTakeFirst()
}
