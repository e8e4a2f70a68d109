import { sql, type CompiledQuery, type Expression, type ExpressionBuilder, type Kysely, type SelectQueryBuilder, type SqlBool, type Transaction } from 'kysely'
import type { CampaignFilters, Sort } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'
import type { CursorPosition } from './cursor.js'
import { filterConditions, type CampaignScope } from './filters.js'

type Db = Kysely<Database> | Transaction<Database>
type SortColumn = 'name' | 'fecha_inicio' | 'impactos_personas' | 'alcance'

const CAMPAIGN_COLUMNS = [
  'name', 'sites', 'periods', 'tipo_campania', 'fecha_inicio', 'fecha_fin', 'universo_zona_metro',
  'impactos_personas', 'impactos_vehiculos', 'frecuencia_calculada', 'frecuencia_promedio', 'alcance',
  'nse_ab', 'nse_cmas', 'nse_c', 'nse_dmas', 'nse_d', 'nse_e', 'edad_0a14', 'edad_15a19', 'edad_20a24',
  'edad_25a34', 'edad_35a44', 'edad_45a64', 'edad_65mas', 'hombres', 'mujeres', 'hourly_vehicle_count'
] as const

// Timestamps leave PostgreSQL as the API's ISO 8601 strings (UTC, milliseconds, as
// Date.prototype.toISOString() writes them): parsing each into a Date and formatting it back took
// about 4 % of a list request's CPU in a profile.
const isoTimestamp = (column: 'c.created_at' | 'c.updated_at') =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** The campaign's own columns as the API gives them, with its internal keys (company_id, id) for the queries around it. */
export function selectCampaign (query: SelectQueryBuilder<Database & { c: Database['campaigns'] }, 'c', object>) {
  return query.select(['c.company_id', 'c.id', ...CAMPAIGN_COLUMNS.map((c) => `c.${c}` as const)])
    .select([isoTimestamp('c.created_at').as('created_at'), isoTimestamp('c.updated_at').as('updated_at')])
}

const NULLABLE: ReadonlySet<SortColumn> = new Set(['impactos_personas', 'alcance'])

/**
 * One index range scan: rows matching `where`, in `order`. A page walks one or two segments.
 * The order is total: (key, id), with NULL keys greater than every value (PostgreSQL's own
 * btree order), so ascending walks values then NULLs, descending NULLs then values, and both
 * follow an index (company_id, key, id) forwards or backwards. name is unique per company and
 * needs no tie-breaker.
 */
export type Segment = { where: (eb: CampaignScope) => Expression<SqlBool>, order: Array<{ column: SortColumn | 'id', desc: boolean }> }

export function parseSort (sort: Sort): { column: SortColumn, desc: boolean } {
  return { column: sort.replace(/^-/, '') as SortColumn, desc: sort.startsWith('-') }
}

export function listSegments (sort: Sort, after?: CursorPosition): Segment[] {
  const { column, desc } = parseSort(sort)
  const ref = `c.${column}` as const
  const op = desc ? '<' : '>'
  const all = (): Expression<SqlBool> => sql<SqlBool>`true`
  if (column === 'name') {
    return [{ where: after ? (eb) => eb('c.name', op, String(after.key)) : all, order: [{ column, desc }] }]
  }
  // PostgreSQL's default NULL placement (last ascending, first descending) is this order, so
  // without a cursor one scan walks NULLs and values together.
  if (!after) return [{ where: all, order: [{ column, desc }, { column: 'id', desc }] }]
  const values: Segment = {
    where: after.key !== null
      ? (eb) => eb(eb.refTuple(ref, 'c.id'), op, eb.tuple(after.key as never, after.id))
      : (eb) => eb(ref, 'is not', null),
    order: [{ column, desc }, { column: 'id', desc }]
  }
  if (!NULLABLE.has(column)) return [values]
  const nulls: Segment = {
    where: after.key === null
      ? (eb) => eb.and([eb(ref, 'is', null), eb('c.id', op, after.id)])
      : (eb) => eb(ref, 'is', null),
    order: [{ column: 'id', desc }]
  }
  if (!desc) return after.key === null ? [nulls] : [values, nulls]
  return after.key !== null ? [values] : [nulls, values]
}

/** The campaigns of one segment with their counts, read from the campaign's row: the page is the index scan and nothing more. */
export function segmentQuery (db: Db, companyId: number, filters: CampaignFilters, segment: Segment, limit: number) {
  let page = selectCampaign(db.selectFrom('campaigns as c')).select(campaignCounts)
    .where((eb) => eb.and([...filterConditions(eb, companyId, filters), segment.where(eb)]))
  for (const { column, desc } of segment.order) page = page.orderBy(`c.${column}`, desc ? 'desc' : 'asc')
  return page.limit(limit)
}

/**
 * The item's sites_count and periods_count: kept on the campaign's row by the database, in the
 * transaction of every write of its facts and periods (db/migrations/0004_campaign_figures.ts).
 */
export function campaignCounts (eb: ExpressionBuilder<Database & { c: Database['campaigns'] }, 'c'>) {
  return [eb.ref('c.sites_count').as('sites_count'), eb.ref('c.periods_count').as('periods_count')]
}

export type ListedCampaign = Awaited<ReturnType<ReturnType<typeof segmentQuery>['execute']>>[number]

// Building and compiling the page query with Kysely took ~9 % of a list request's CPU in a
// profile. The SQL and its parameters are a pure function of these inputs, so the compiled query
// is kept (the most recent COMPILED_LIMIT of them): a company's first page, asked again and
// again, is compiled once. Bounded, so cursors cannot grow it without limit.
const COMPILED_LIMIT = 500
const compiledPages = new Map<string, CompiledQuery<ListedCampaign>>()

function compiledSegment (db: Db, companyId: number, filters: CampaignFilters, sort: Sort, after: CursorPosition | undefined, index: number, segment: Segment, limit: number) {
  const key = JSON.stringify([companyId, sort, filters, after ?? null, index, limit])
  let compiled = compiledPages.get(key)
  if (!compiled) {
    compiled = segmentQuery(db, companyId, filters, segment, limit).compile()
    if (compiledPages.size >= COMPILED_LIMIT) compiledPages.delete(compiledPages.keys().next().value!)
    compiledPages.set(key, compiled)
  }
  return compiled
}

/** Up to `limit` rows after `after`, walking the segments in order until the page is full. */
export async function listCampaigns (db: Db, companyId: number, filters: CampaignFilters, sort: Sort, limit: number, after?: CursorPosition): Promise<ListedCampaign[]> {
  const rows: ListedCampaign[] = []
  const segments = listSegments(sort, after)
  for (let index = 0; index < segments.length; index++) {
    const compiled = compiledSegment(db, companyId, filters, sort, after, index, segments[index], limit - rows.length)
    rows.push(...(await db.executeQuery(compiled)).rows)
    if (rows.length >= limit) break
  }
  return rows
}

export async function countCampaigns (db: Db, companyId: number, filters: CampaignFilters): Promise<number> {
  const row = await db.selectFrom('campaigns as c')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where((eb) => eb.and(filterConditions(eb, companyId, filters)))
    .executeTakeFirstOrThrow()
  return Number(row.total)
}
