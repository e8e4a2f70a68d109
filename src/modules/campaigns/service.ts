import type { Kysely } from 'kysely'
import type { Static } from '@sinclair/typebox'
import type { CampaignCreateType, CampaignDetail, CampaignFilters, CampaignListItemType, CampaignListQueryType, CampaignPatchType } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'
import { badRequest, notFound } from '../../errors.js'
import { decodeCursor, encodeCursor, filtersHash } from './cursor.js'
import { countCampaigns, listCampaigns, parseSort, type ListedCampaign } from './list-repository.js'
import * as repository from './repository.js'

/**
 * A row becomes the API's item in place (the counts as numbers). Its internal id and company_id
 * stay in the object but never leave the server: the response schema's serializer writes only
 * the item's own fields. Copying the 30 fields into a new object per row cost more CPU than pg's
 * parsing of the row in a profile of the list.
 */
export function toItem (row: ListedCampaign): CampaignListItemType {
  row.sites_count = Number(row.sites_count ?? 0)
  row.periods_count = Number(row.periods_count ?? 0)
  return row as CampaignListItemType
}

const FILTER_KEYS = ['tipo_campania', 'start_date', 'end_date', 'q', 'zm', 'estado'] as const

export function pickFilters (query: CampaignFilters): CampaignFilters {
  const filters: Record<string, string> = {}
  for (const key of FILTER_KEYS) if (query[key] !== undefined) filters[key] = query[key]
  const { start_date: start, end_date: end } = query
  if (start && end && start > end) {
    throw badRequest(`start_date (${start}) is after end_date (${end}).`, [{ field: 'querystring.start_date', message: 'must not be after end_date' }])
  }
  return filters as CampaignFilters
}

export type CampaignPageResult = { data: CampaignListItemType[], page_size: number, next_cursor: string | null, total?: number }

export async function listPage (db: Kysely<Database>, cursorKey: Buffer, companyId: number, query: CampaignListQueryType): Promise<CampaignPageResult> {
  // The schema's defaults are applied by validation; these only satisfy the optional static types.
  const { limit = 5, sort = 'name', cursor } = query
  const filters = pickFilters(query)
  const hash = filtersHash(companyId, sort, filters)
  const after = cursor ? decodeCursor(cursorKey, cursor, sort, hash) : undefined
  // One row more than asked tells whether a next page exists without a count.
  const rows = await listCampaigns(db, companyId, filters, sort, limit + 1, after)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  const { column } = parseSort(sort)
  const nextCursor = rows.length > limit && last ? encodeCursor(cursorKey, sort, hash, { key: last[column], id: last.id }) : null
  const result: CampaignPageResult = { data: page.map(toItem), page_size: limit, next_cursor: nextCursor }
  if (query.include_total) result.total = await countCampaigns(db, companyId, filters)
  return result
}

export const campaignNotFound = (name: string) => notFound(`No campaign named "${name}" in your company.`)

export async function getCampaignOrThrow (db: Kysely<Database>, companyId: number, name: string) {
  const row = await repository.findCampaign(db, companyId, name)
  if (!row) throw campaignNotFound(name)
  return row
}

export async function getDetail (db: Kysely<Database>, companyId: number, name: string): Promise<Static<typeof CampaignDetail>> {
  const found = await repository.findCampaignDetail(db, companyId, name)
  if (!found) throw campaignNotFound(name)
  const { period_rows: periods, site_rows: sites, ...campaign } = found
  return {
    campaign: toItem({ ...campaign, sites_count: sites.length, periods_count: periods.length }),
    periods,
    sites
  }
}

function checkFlight (fechaInicio: string, fechaFin: string) {
  if (fechaInicio > fechaFin) throw badRequest(`fecha_inicio (${fechaInicio}) is after fecha_fin (${fechaFin}).`, [{ field: 'body.fecha_inicio', message: 'must not be after fecha_fin' }])
}

export async function createCampaign (db: Kysely<Database>, companyId: number, values: CampaignCreateType): Promise<CampaignListItemType> {
  checkFlight(values.fecha_inicio, values.fecha_fin)
  await repository.insertCampaign(db, companyId, values)
  return toItem(await getCampaignOrThrow(db, companyId, values.name))
}

export async function patchCampaign (db: Kysely<Database>, companyId: number, name: string, changes: CampaignPatchType): Promise<CampaignListItemType> {
  const newName = await db.transaction().execute(async (trx) => {
    const current = await repository.lockCampaign(trx, companyId, name)
    if (!current) throw campaignNotFound(name)
    checkFlight(changes.fecha_inicio ?? current.fecha_inicio, changes.fecha_fin ?? current.fecha_fin)
    await repository.updateCampaign(trx, companyId, current.id, changes)
    return changes.name ?? name
  })
  return toItem(await getCampaignOrThrow(db, companyId, newName))
}

export async function removeCampaign (db: Kysely<Database>, companyId: number, name: string): Promise<void> {
  if (!await repository.deleteCampaign(db, companyId, name)) throw campaignNotFound(name)
}
