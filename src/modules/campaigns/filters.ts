import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { CampaignFilters } from '../../../schemas/campaigns.js'
import type { CampaignsTable, Database } from '../../db/schema.js'

export type CampaignScope = ExpressionBuilder<Database & { c: CampaignsTable }, 'c'>

/** LIKE metacharacters in user input are data: each is escaped with the (explicit) escape character. */
export function escapeLike (value: string): string {
  return value.replace(/[\\%_]/g, (m) => `\\${m}`)
}

/** The list filters as conditions on campaigns aliased `c`; shared by the list, its count and the overview. */
export function filterConditions (eb: CampaignScope, companyId: number, filters: CampaignFilters): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [eb('c.company_id', '=', companyId)]
  if (filters.tipo_campania) conditions.push(eb('c.tipo_campania', '=', filters.tipo_campania))
  // Flight [fecha_inicio, fecha_fin] overlaps [start_date, end_date]; a missing bound is open.
  if (filters.start_date) conditions.push(eb('c.fecha_fin', '>=', filters.start_date))
  if (filters.end_date) conditions.push(eb('c.fecha_inicio', '<=', filters.end_date))
  if (filters.q) conditions.push(sql<SqlBool>`lower(${sql.ref('c.name')}) like lower(${`%${escapeLike(filters.q)}%`}) escape '\\'`)
  // The campaign's distinct zones and states, kept on its row (db/migrations/0004_campaign_figures.ts):
  // @> is what the GIN index (company_id, zms) / (company_id, estados) answers, without reading a fact.
  if (filters.zm) conditions.push(sql<SqlBool>`${sql.ref('c.zms')} @> array[${filters.zm}]::text[]`)
  if (filters.estado) conditions.push(sql<SqlBool>`${sql.ref('c.estados')} @> array[${filters.estado}]::text[]`)
  return conditions
}
