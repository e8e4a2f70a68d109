import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '../../db/schema.js'
import { replaceFromCampaigns } from './flights-check.js'

type Db = Kysely<Database> | Transaction<Database>

const FLIGHT = ['company_id', 'tipo_campania', 'fecha_inicio', 'fecha_fin']
const TYPE = ['company_id', 'tipo_campania']
const SELECTION = ['with_zm', 'with_estado']
const CAMPAIGN_SUMS = ['impactos_personas', 'impactos_vehiculos', 'alcance']

/**
 * The aggregates of db/migrations/0007_zone_aggregates.ts and how each is recomputed from the
 * facts: per site, its campaigns and their impacts; per zone, its distinct campaigns; per
 * selection, the campaigns' sums. `selected` are each campaign's facts per site (`cs`), joined to
 * the selections it counts in (`sel`): all campaigns, and those of each of its zones and states.
 */
const TABLES = [
  { table: 'flight_site_totals', keys: [...FLIGHT, 'site_id'], sums: ['impactos'], truth: 'count(*) as campaigns, sum(impactos) as impactos' },
  { table: 'type_site_totals', keys: [...TYPE, ...SELECTION, 'site_id'], sums: ['impactos'], truth: 'count(*) as campaigns, sum(impactos) as impactos' },
  { table: 'flight_zone_counts', keys: [...FLIGHT, 'zm'], sums: [], truth: 'count(distinct campaign_id) as campaigns' },
  { table: 'type_zone_counts', keys: [...TYPE, ...SELECTION, 'zm'], sums: [], truth: 'count(distinct campaign_id) as campaigns' },
  { table: 'flight_selection_totals', keys: [...FLIGHT, ...SELECTION], sums: CAMPAIGN_SUMS, truth: `count(distinct campaign_id) as campaigns, ${CAMPAIGN_SUMS.map((c) => `sum(${c}) as ${c}`).join(', ')}` }
] as const

type Table = typeof TABLES[number]

/** A row of those aggregates that differs from a recomputation from the facts: its key, and its campaigns and sums (exact decimal text). */
export type ZoneDrift = { table: Table['table'], key: Record<string, string | number | null>, stored: Figures, recomputed: Figures }
type Figures = Record<string, number | string>

// The selection totals count each campaign once per selection: their rows are one per campaign (`cs` at its first site).
const selected = (companyId: number | null, table: Table) => sql`
  with cs as (
    select f.company_id, c.tipo_campania, c.fecha_inicio, c.fecha_fin, f.campaign_id, f.site_id, s.zm, s.estado,
      coalesce(sum(f.impactos_catorcenal), 0) as impactos
    from campaign_site_periods f
    join campaigns c on c.company_id = f.company_id and c.id = f.campaign_id
    join sites s on s.company_id = f.company_id and s.id = f.site_id
    where ${companyId}::bigint is null or f.company_id = ${companyId}
    group by f.company_id, c.tipo_campania, c.fecha_inicio, c.fecha_fin, f.campaign_id, f.site_id, s.zm, s.estado),
  sel as (
    select distinct company_id, campaign_id, null::text as with_zm, null::text as with_estado from cs
    union all select distinct company_id, campaign_id, zm, null from cs where zm is not null
    union all select distinct company_id, campaign_id, null, estado from cs where estado is not null)
  ${table.table === 'flight_selection_totals'
    ? sql`select c.company_id, c.tipo_campania, c.fecha_inicio, c.fecha_fin, sel.with_zm, sel.with_estado, c.id as campaign_id,
        ${sql.raw(CAMPAIGN_SUMS.map((s) => `coalesce(c.${s}, 0) as ${s}`).join(', '))}
      from sel join campaigns c on c.company_id = sel.company_id and c.id = sel.campaign_id
      where sel.with_zm is not null or sel.with_estado is not null`
    : (table.keys as readonly string[]).includes('with_zm')
        ? sql`select cs.*, sel.with_zm, sel.with_estado from cs join sel using (company_id, campaign_id)`
        : sql`select cs.* from cs`}`

const truth = (table: Table, companyId: number | null): RawBuilder<unknown> =>
  sql`select ${sql.raw(table.keys.join(', '))}, ${sql.raw(table.truth)} from (${selected(companyId, table)}) as r group by ${sql.raw(table.keys.join(', '))}`

// Stored and recomputed rows side by side, grouped by key (GROUP BY, unlike a join, holds NULL equal to itself).
// A key whose campaigns fell to zero may keep a row of zeros: not a difference.
const differences = (table: Table, companyId: number | null) => {
  const keys = sql.raw(table.keys.join(', '))
  const figures = ['campaigns', ...table.sums]
  const side = (prefix: string) => sql.raw(`json_build_object(${figures.map((f) => `'${f}', sum(${prefix}_${f})${f === 'campaigns' ? '::integer' : '::text'}`).join(', ')})`)
  const columns = (prefix: string, zero: boolean) => sql.raw(figures.map((f) => `${zero ? '0' : f} as ${prefix}_${f}`).join(', '))
  return sql<{ key: ZoneDrift['key'], stored: Figures, recomputed: Figures }>`
    select json_build_object(${sql.raw(table.keys.map((k) => `'${k}', ${k}`).join(', '))}) as key, ${side('s')} as stored, ${side('t')} as recomputed
    from (
      select ${keys}, ${columns('s', false)}, ${columns('t', true)} from ${sql.table(table.table)}
      where ${companyId}::bigint is null or company_id = ${companyId}
      union all
      select ${keys}, ${columns('s', true)}, ${columns('t', false)} from (${truth(table, companyId)}) as t
    ) as both_sides
    group by ${keys}
    having ${sql.raw(figures.map((f) => `sum(s_${f}) <> sum(t_${f})`).join(' or '))}
    order by ${keys}`
}

/** Every row of the by_zm and selection aggregates that is not what the facts give. */
export async function findZoneDrift (db: Db, companyId: number | null = null): Promise<ZoneDrift[]> {
  const found: ZoneDrift[] = []
  for (const table of TABLES) {
    for (const row of (await differences(table, companyId).execute(db)).rows) found.push({ table: table.table, ...row })
  }
  return found
}

/** Replaces those aggregates (of one company, or all) with a recomputation from the facts, returning the rows that differed. */
export async function rebuildZones (db: Kysely<Database>, companyId: number | null = null): Promise<ZoneDrift[]> {
  const corrected: ZoneDrift[] = []
  for (const table of TABLES) {
    const columns = sql.raw([...table.keys, 'campaigns', ...table.sums].join(', '))
    corrected.push(...await replaceFromCampaigns(db, companyId, table.table,
      async (trx) => (await differences(table, companyId).execute(trx)).rows.map((row) => ({ table: table.table, ...row })),
      sql`insert into ${sql.table(table.table)} (${columns}) select ${columns} from (${truth(table, companyId)}) as t`))
  }
  return corrected
}
