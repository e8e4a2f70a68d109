import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../db/schema.js'

type Db = Kysely<Database> | Transaction<Database>

/** The maintained figures on a campaign's row (db/migrations/0004_campaign_figures.ts). */
export const MAINTAINED = ['sites_count', 'periods_count', 'zms', 'estados', 'site_ids', 'site_zms', 'site_impactos'] as const
type Figures = { sites_count: number, periods_count: number, zms: string[], estados: string[], site_ids: string[], site_zms: Array<string | null>, site_impactos: string[] }

/** A campaign whose stored figures differ from a full recomputation from its facts, periods and sites. */
export type Drift = { company_id: number, name: string, stored: Figures, recomputed: Figures }

// The recomputation, from scratch, of every campaign's figures (of one company, or all): what the
// triggers keep, derived here independently, as a set-based aggregate of the base tables.
const recomputed = (companyId: number | null) => sql`
  with per_site as (
    select f.company_id, f.campaign_id, f.site_id, s.zm, s.estado, coalesce(sum(f.impactos_catorcenal), 0) as impactos
    from campaign_site_periods f join sites s on s.company_id = f.company_id and s.id = f.site_id
    where ${companyId}::bigint is null or f.company_id = ${companyId}
    group by f.company_id, f.campaign_id, f.site_id, s.zm, s.estado),
  facts as (
    select company_id, campaign_id, count(*)::integer as sites_count,
      coalesce(array_agg(distinct zm) filter (where zm is not null), '{}') as zms,
      coalesce(array_agg(distinct estado) filter (where estado is not null), '{}') as estados,
      array_agg(site_id order by site_id) as site_ids, array_agg(zm order by site_id) as site_zms, array_agg(impactos order by site_id) as site_impactos
    from per_site group by company_id, campaign_id),
  periods as (
    select company_id, campaign_id, count(*)::integer as periods_count from campaign_periods
    where ${companyId}::bigint is null or company_id = ${companyId}
    group by company_id, campaign_id)
  select c.company_id, c.id, c.name,
    json_build_object('sites_count', c.sites_count, 'periods_count', c.periods_count, 'zms', c.zms, 'estados', c.estados,
      'site_ids', c.site_ids::text[], 'site_zms', c.site_zms, 'site_impactos', c.site_impactos::text[]) as stored,
    coalesce(f.sites_count, 0) as sites_count, coalesce(p.periods_count, 0) as periods_count,
    coalesce(f.zms, '{}') as zms, coalesce(f.estados, '{}') as estados,
    coalesce(f.site_ids, '{}') as site_ids, coalesce(f.site_zms, '{}') as site_zms, coalesce(f.site_impactos, '{}') as site_impactos,
    (c.sites_count, c.periods_count, c.zms, c.estados, c.site_ids, c.site_zms, c.site_impactos) is distinct from
      (coalesce(f.sites_count, 0), coalesce(p.periods_count, 0), coalesce(f.zms, '{}'), coalesce(f.estados, '{}'),
        coalesce(f.site_ids, '{}'), coalesce(f.site_zms, '{}'), coalesce(f.site_impactos, '{}')) as drifted
  from campaigns c
  left join facts f on f.company_id = c.company_id and f.campaign_id = c.id
  left join periods p on p.company_id = c.company_id and p.campaign_id = c.id
  where ${companyId}::bigint is null or c.company_id = ${companyId}`

type Row = { company_id: number, id: number, name: string, stored: Figures } & Figures

const toDrift = (row: Row): Drift => ({
  company_id: row.company_id,
  name: row.name,
  stored: row.stored,
  // As text, as `stored` has them: bigint and numeric arrays do not survive JSON as numbers.
  recomputed: { ...Object.fromEntries(MAINTAINED.map((figure) => [figure, row[figure]])) as Figures, site_ids: row.site_ids.map(String), site_impactos: row.site_impactos.map(String) }
})

/** Every campaign whose maintained figures are not what a full recomputation gives (none, when the triggers do their job). */
export async function findDrift (db: Db, companyId: number | null = null): Promise<Drift[]> {
  const { rows } = await sql<Row>`select * from (${recomputed(companyId)}) as r where drifted order by company_id, name`.execute(db)
  return rows.map(toDrift)
}

/**
 * Recomputes every campaign's figures from scratch and stores those that differ, returning them
 * (for an upgrade, after a restore that skipped triggers, or to prove there is nothing to fix).
 * The base tables are locked against writes (SHARE: reads go on) for the transaction, so the
 * recomputation is of one consistent state that no concurrent import changes underneath.
 */
export async function rebuildFigures (db: Kysely<Database>, companyId: number | null = null): Promise<Drift[]> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table campaign_site_periods, campaign_periods, sites in share mode`.execute(trx)
    const { rows } = await sql<Row>`
      with truth as (${recomputed(companyId)}),
      fixed as (
        update campaigns c set ${sql.raw(MAINTAINED.map((figure) => `${figure} = t.${figure}`).join(', '))}
        from truth t where t.drifted and c.company_id = t.company_id and c.id = t.id
        returning c.id)
      select t.* from truth t where t.drifted order by t.company_id, t.name`.execute(trx)
    return rows.map(toDrift)
  })
}
