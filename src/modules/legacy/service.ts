import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import type { CampaignFilters, CampaignPatchType } from '../../../schemas/campaigns.js'
import type { LegacyCampaignCreateType, LegacyCampaignType, LegacyCampaignDetailType, LegacyListQueryType, LegacySearchQueryType } from '../../../schemas/legacy.js'
import { badRequest } from '../../errors.js'
import { campaignNotFound, createCampaign, patchCampaign, pickFilters } from '../campaigns/service.js'
import { campaignsInCreationOrder, findLegacyDetail, pageWithTotal } from './repository.js'

/** search-by-date answers every match in one array: past this many, the caller is asked to page instead. */
export const SEARCH_MAX_ROWS = 10_000

/** The date part of a date or datetime, if it is a real calendar day. */
function calendarDay (value: string, field: string): string {
  const day = value.slice(0, 10)
  const parsed = new Date(`${day}T00:00:00Z`)
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day || day.startsWith('0000')) {
    throw badRequest(`${field} (${value}) is not a calendar date.`, [{ field: `querystring.${field}`, message: 'must be a date, YYYY-MM-DD' }])
  }
  return day
}

/** The old filters in today's vocabulary; as before, the date range applies only when both ends are given. */
function legacyFilters (query: Partial<LegacySearchQueryType> & { tipo_campania?: CampaignFilters['tipo_campania'] }): CampaignFilters {
  const filters: CampaignFilters = { tipo_campania: query.tipo_campania }
  if (query.start_date !== undefined && query.end_date !== undefined) {
    filters.start_date = calendarDay(query.start_date, 'start_date')
    filters.end_date = calendarDay(query.end_date, 'end_date')
  }
  return pickFilters(filters)
}

/** One page by skip and limit in creation order, with the exact total, from one snapshot. */
export async function listPage (db: Kysely<Database>, companyId: number, query: LegacyListQueryType) {
  const { skip, limit } = query
  const filters = legacyFilters(query)
  const { total, rows } = await pageWithTotal(db, companyId, filters, skip, limit)
  return { data: rows, total, page: Math.floor(skip / limit), pageSize: limit }
}

/** Every campaign whose flight overlaps the range, in creation order. */
export async function searchByDate (db: Kysely<Database>, companyId: number, query: LegacySearchQueryType) {
  const rows = await campaignsInCreationOrder(db, companyId, legacyFilters(query), SEARCH_MAX_ROWS + 1)
  if (rows.length > SEARCH_MAX_ROWS) {
    throw badRequest(`More than ${SEARCH_MAX_ROWS} campaigns match: narrow the dates, or page through them with GET /campaigns/?skip=&limit= or GET /v2/campaigns.`)
  }
  return rows
}

export async function getDetail (db: Kysely<Database>, companyId: number, name: string): Promise<LegacyCampaignDetailType> {
  const found = await findLegacyDetail(db, companyId, name)
  if (!found) throw campaignNotFound(name)
  const { period_rows: periods, site_rows: sites, ...campaign } = found
  return {
    ...campaign,
    periods: periods.map((row) => ({ ...row, campaign_name: campaign.name })),
    sites: sites.map((row) => ({ ...row, campaign_name: campaign.name }))
  }
}

/** company_id in the body is the old clients' habit: a campaign is always created in the caller's company. */
export async function create (db: Kysely<Database>, companyId: number, body: LegacyCampaignCreateType): Promise<LegacyCampaignType> {
  const { company_id: _ignored, ...values } = body
  return { ...await createCampaign(db, companyId, values), company_id: companyId }
}

export async function update (db: Kysely<Database>, companyId: number, name: string, changes: CampaignPatchType): Promise<LegacyCampaignType> {
  return { ...await patchCampaign(db, companyId, name, changes), company_id: companyId }
}
