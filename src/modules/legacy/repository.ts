import { sql, type Kysely, type Transaction } from 'kysely'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import type { CampaignFilters } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'
import { filterConditions } from '../campaigns/filters.js'
import { selectCampaign } from '../campaigns/list-repository.js'
import { flightsMatching } from '../analytics/overview-repository.js'

type Db = Kysely<Database> | Transaction<Database>

type CampaignRow = Awaited<ReturnType<typeof campaignsInCreationOrder>>[number]

/** The company's campaigns that match the filters, as v1 rows (aliased `c`). */
const matchingCampaigns = (db: Db, companyId: number, filters: CampaignFilters) =>
  selectCampaign(db.selectFrom('campaigns as c')).where((eb) => eb.and(filterConditions(eb, companyId, filters)))

/** Campaigns in creation order (the old service's row order), the first `limit`. */
export function campaignsInCreationOrder (db: Db, companyId: number, filters: CampaignFilters, limit: number) {
  return matchingCampaigns(db, companyId, filters)
    .orderBy('c.id', 'asc')
    .limit(limit)
    .execute()
}

/**
 * The exact number of the company's campaigns that match, from figures maintained beside them:
 * without dates, the counts per type (db/migrations/0006), one row per type; with dates, the
 * flight totals (db/migrations/0005), as many rows as the company has flights. Neither grows with
 * the number of campaigns.
 */
function matchingTotal (db: Db, companyId: number, filters: CampaignFilters) {
  const total = sql<number>`coalesce(sum(t.campaigns), 0)::bigint`.as('total')
  if (filters.start_date || filters.end_date) return flightsMatching(db, companyId, filters).select(total)
  let counts = db.selectFrom('campaign_type_counts as t').where('t.company_id', '=', companyId)
  if (filters.tipo_campania) counts = counts.where('t.tipo_campania', '=', filters.tipo_campania)
  return counts.select(total)
}

/** Pages that start this close to the beginning are read forwards (OFFSET walks this many index entries at most). */
const NEAR_START = 1000

/** A page near the start, beside the total: one plain statement, about as cheap to plan as a v2 page. */
function pageNearStart (db: Db, companyId: number, filters: CampaignFilters, skip: number, limit: number) {
  return db.selectFrom(matchingTotal(db, companyId, filters).as('n'))
    .leftJoinLateral(() => matchingCampaigns(db, companyId, filters).orderBy('c.id', 'asc').offset(skip).limit(limit).as('r'), (join) => join.onTrue())
    .select('n.total')
    .selectAll('r')
}

/**
 * A page further in, beside the total. Pages past the middle are read from the end (OFFSET walks
 * the index from where it starts), so the deepest page is as cheap as the first: of the two
 * branches, the one the plan does not choose is skipped by a one-time filter.
 */
function pageFromNearerEnd (db: Db, companyId: number, filters: CampaignFilters, skip: number, limit: number) {
  const pageSize = sql<number>`greatest(0, least(${limit}::bigint, n.total - ${skip}))`
  return db
    .with('n', () => matchingTotal(db, companyId, filters))
    .with('p', (qb) => qb.selectFrom('n').select([
      'n.total',
      sql<boolean>`${skip}::bigint > n.total - ${skip} - ${pageSize}`.as('from_end'),
      sql<number>`greatest(0, n.total - ${skip} - ${pageSize})`.as('from_end_offset')
    ]))
    .selectFrom('p')
    .leftJoinLateral((eb) => {
      const matching = () => matchingCampaigns(db, companyId, filters)
      const forwards = matching().where(sql<boolean>`not p.from_end`).orderBy('c.id', 'asc').offset(skip).limit(limit)
      const backwards = matching().where(sql<boolean>`p.from_end`).orderBy('c.id', 'desc').offset(sql<number>`p.from_end_offset`).limit(limit)
      return eb.selectFrom(forwards.as('f')).selectAll('f').unionAll(eb.selectFrom(backwards.as('b')).selectAll('b')).as('r')
    }, (join) => join.onTrue())
    .select('p.total')
    .selectAll('r')
}

/** One page by skip and limit in creation order, with the exact total, in one statement (one snapshot, one round trip, no transaction). */
export async function pageWithTotal (db: Db, companyId: number, filters: CampaignFilters, skip: number, limit: number): Promise<{ total: number, rows: CampaignRow[] }> {
  const rows = await (skip < NEAR_START ? pageNearStart : pageFromNearerEnd)(db, companyId, filters, skip, limit).execute()
  // An empty page is one row of nulls beside the total (the left join); the others are whole campaigns.
  const campaigns = (rows.filter((row) => row.id !== null) as unknown as CampaignRow[]).sort((a, b) => Number(a.id) - Number(b.id))
  // The branches' LIMIT is the page size asked for, a constant the planner costs as such (for an
  // expression it assumes a tenth of the rows, and may prefer sorting them all). Read from the end,
  // the rows past the page's size are those before it.
  const total = Number(rows[0].total)
  const size = Math.max(0, Math.min(limit, total - skip))
  return { total, rows: campaigns.slice(campaigns.length - size) }
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
