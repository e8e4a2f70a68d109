import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../db/schema.js'
import { replaceFromCampaigns } from './flights-check.js'

type Db = Kysely<Database> | Transaction<Database>

const FLIGHT = ['company_id', 'tipo_campania', 'fecha_inicio', 'fecha_fin']
const TYPE = ['company_id', 'tipo_campania']

/** The by_zm aggregates (db/migrations/0007_zone_aggregates.ts): per site, campaigns and impacts; per zone, distinct campaigns. */
const TABLES = [
  { table: 'flight_site_totals', keys: [...FLIGHT, 'site_id'], impactos: true },
  { table: 'type_site_totals', keys: [...TYPE, 'site_id'], impactos: true },
  { table: 'flight_zone_counts', keys: [...FLIGHT, 'zm'], impactos: false },
  { table: 'type_zone_counts', keys: [...TYPE, 'zm'], impactos: false }
] as const

type Table = typeof TABLES[number]

/** A row of a by_zm aggregate that differs from a recomputation from the facts (impactos: exact decimal text, null where the table keeps none). */
export type ZoneDrift = { table: Table['table'], key: Record<string, string | number | null>, stored: Figures, recomputed: Figures }
type Figures = { campaigns: number, impactos: string | null }

// Each campaign's facts summed per site, with the campaign's flight and the site's zone.
const campaignSites = (companyId: number | null) => sql`
  select f.company_id, c.tipo_campania, c.fecha_inicio, c.fecha_fin, f.campaign_id, f.site_id, s.zm,
    coalesce(sum(f.impactos_catorcenal), 0) as impactos
  from campaign_site_periods f
  join campaigns c on c.company_id = f.company_id and c.id = f.campaign_id
  join sites s on s.company_id = f.company_id and s.id = f.site_id
  where ${companyId}::bigint is null or f.company_id = ${companyId}
  group by f.company_id, c.tipo_campania, c.fecha_inicio, c.fecha_fin, f.campaign_id, f.site_id, s.zm`

const truth = ({ keys, impactos }: Table, companyId: number | null) =>
  sql`select ${sql.raw(keys.join(', '))}, ${sql.raw(impactos ? 'count(*) as campaigns, sum(impactos) as impactos' : 'count(distinct campaign_id) as campaigns, null::numeric as impactos')} from (${campaignSites(companyId)}) as cs group by ${sql.raw(keys.join(', '))}`

// Stored and recomputed rows side by side, grouped by key (GROUP BY, unlike a join, holds the NULL zone equal to itself).
// A key whose campaigns fell to zero may keep a row of zeros: not a difference.
const differences = (table: Table, companyId: number | null) => {
  const keys = sql.raw(table.keys.join(', '))
  const impactos = table.impactos ? sql`impactos` : sql`null::numeric`
  return sql<{ key: ZoneDrift['key'], stored: Figures, recomputed: Figures }>`
    select json_build_object(${sql.raw(table.keys.map((k) => `'${k}', ${k}`).join(', '))}) as key,
      json_build_object('campaigns', sum(sc)::integer, 'impactos', sum(si)::text) as stored,
      json_build_object('campaigns', sum(tc)::integer, 'impactos', sum(ti)::text) as recomputed
    from (
      select ${keys}, campaigns as sc, ${impactos} as si, 0 as tc, null::numeric as ti from ${sql.table(table.table)}
      where ${companyId}::bigint is null or company_id = ${companyId}
      union all
      select ${keys}, 0, null, campaigns, impactos from (${truth(table, companyId)}) as t
    ) as both_sides
    group by ${keys}
    having sum(sc) <> sum(tc) or coalesce(sum(si), 0) <> coalesce(sum(ti), 0)
    order by ${keys}`
}

/** Every row of the by_zm aggregates that is not what the facts give. */
export async function findZoneDrift (db: Db, companyId: number | null = null): Promise<ZoneDrift[]> {
  const found: ZoneDrift[] = []
  for (const table of TABLES) {
    for (const row of (await differences(table, companyId).execute(db)).rows) found.push({ table: table.table, ...row })
  }
  return found
}

/** Replaces the by_zm aggregates (of one company, or all) with a recomputation from the facts, returning the rows that differed. */
export async function rebuildZones (db: Kysely<Database>, companyId: number | null = null): Promise<ZoneDrift[]> {
  const corrected: ZoneDrift[] = []
  for (const table of TABLES) {
    const keys = sql.raw(table.keys.join(', '))
    const columns = table.impactos ? sql`${keys}, campaigns, impactos` : sql`${keys}, campaigns`
    corrected.push(...await replaceFromCampaigns(db, companyId, table.table, async (trx) => (await differences(table, companyId).execute(trx)).rows.map((row) => ({ table: table.table, ...row })),
      sql`insert into ${sql.table(table.table)} (${columns}) select ${columns} from (${truth(table, companyId)}) as t`))
  }
  return corrected
}
