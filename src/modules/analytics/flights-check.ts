import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../db/schema.js'

type Db = Kysely<Database> | Transaction<Database>
type MaintainedTable = 'campaign_flight_totals' | 'campaign_type_counts' | 'flight_site_totals' | 'type_site_totals' | 'flight_zone_counts' | 'type_zone_counts' | 'flight_selection_totals'

/** One flight's maintained totals (exact sums as decimal text). */
type Totals = { campaigns: number, impactos_personas: string, impactos_vehiculos: string, alcance: string }

/** A flight (company, type, dates) whose totals row differs from a full recomputation from the campaigns. */
export type FlightDrift = { company_id: number, tipo_campania: string, fecha_inicio: string, fecha_fin: string, stored: Totals, recomputed: Totals }

// A flight without campaigns may keep a row of zeros (db/migrations/0005_overview_aggregates.ts): not a difference.
const recomputed = (companyId: number | null) => sql`
  with truth as (
    select company_id, tipo_campania, fecha_inicio, fecha_fin, count(*) as campaigns,
      coalesce(sum(impactos_personas), 0) as impactos_personas, coalesce(sum(impactos_vehiculos), 0) as impactos_vehiculos, coalesce(sum(alcance), 0) as alcance
    from campaigns where ${companyId}::bigint is null or company_id = ${companyId}
    group by company_id, tipo_campania, fecha_inicio, fecha_fin),
  stored as (select * from campaign_flight_totals where ${companyId}::bigint is null or company_id = ${companyId})
  select company_id, tipo_campania, fecha_inicio, fecha_fin,
    json_build_object('campaigns', coalesce(s.campaigns, 0), 'impactos_personas', coalesce(s.impactos_personas, 0)::text,
      'impactos_vehiculos', coalesce(s.impactos_vehiculos, 0)::text, 'alcance', coalesce(s.alcance, 0)::text) as stored,
    json_build_object('campaigns', coalesce(t.campaigns, 0), 'impactos_personas', coalesce(t.impactos_personas, 0)::text,
      'impactos_vehiculos', coalesce(t.impactos_vehiculos, 0)::text, 'alcance', coalesce(t.alcance, 0)::text) as recomputed
  from truth t full join stored s using (company_id, tipo_campania, fecha_inicio, fecha_fin)
  where (coalesce(t.campaigns, 0), coalesce(t.impactos_personas, 0), coalesce(t.impactos_vehiculos, 0), coalesce(t.alcance, 0))
    is distinct from (coalesce(s.campaigns, 0), coalesce(s.impactos_personas, 0), coalesce(s.impactos_vehiculos, 0), coalesce(s.alcance, 0))
  order by company_id, tipo_campania, fecha_inicio, fecha_fin`

/** Every flight whose maintained totals are not what the campaigns sum to. */
export async function findFlightDrift (db: Db, companyId: number | null = null): Promise<FlightDrift[]> {
  return (await sql<FlightDrift>`${recomputed(companyId)}`.execute(db)).rows
}

/**
 * Replaces a table kept from the campaigns and their facts (of one company, or all) with its
 * recomputation when `find` reports a difference, returning the differences. Writes to campaigns,
 * facts and sites wait while it runs (SHARE lock), reads do not.
 */
export function replaceFromCampaigns<Drift> (db: Kysely<Database>, companyId: number | null, table: MaintainedTable,
  find: (trx: Transaction<Database>) => Promise<Drift[]>, recompute: ReturnType<typeof sql>): Promise<Drift[]> {
  return db.transaction().execute(async (trx) => {
    await sql`lock table campaigns, campaign_site_periods, sites in share mode`.execute(trx)
    const drift = await find(trx)
    if (drift.length === 0) return drift
    await sql`delete from ${sql.table(table)} where ${companyId}::bigint is null or company_id = ${companyId}`.execute(trx)
    await recompute.execute(trx)
    // Answers kept at the old data version (src/modules/analytics/overview-cache.ts) are stale now.
    await sql`update company_data_versions set version = gen_random_uuid() where ${companyId}::bigint is null or company_id = ${companyId}`.execute(trx)
    return drift
  })
}

/** Replaces the flight totals (of one company, or all) with a recomputation from the campaigns, returning the flights that differed. */
export function rebuildFlights (db: Kysely<Database>, companyId: number | null = null): Promise<FlightDrift[]> {
  return replaceFromCampaigns(db, companyId, 'campaign_flight_totals', (trx) => findFlightDrift(trx, companyId), sql`
    insert into campaign_flight_totals (company_id, tipo_campania, fecha_inicio, fecha_fin, campaigns, impactos_personas, impactos_vehiculos, alcance)
    select company_id, tipo_campania, fecha_inicio, fecha_fin, count(*), coalesce(sum(impactos_personas), 0), coalesce(sum(impactos_vehiculos), 0), coalesce(sum(alcance), 0)
    from campaigns where ${companyId}::bigint is null or company_id = ${companyId}
    group by company_id, tipo_campania, fecha_inicio, fecha_fin`)
}

/** A company and type whose maintained number of campaigns (db/migrations/0006) differs from a count of its campaigns. */
export type TypeCountDrift = { company_id: number, tipo_campania: string, stored: number, recomputed: number }

// A type without campaigns may keep a row of zero: not a difference.
const countedTypes = (companyId: number | null) => sql<TypeCountDrift>`
  with truth as (
    select company_id, tipo_campania, count(*) as campaigns from campaigns
    where ${companyId}::bigint is null or company_id = ${companyId} group by company_id, tipo_campania),
  stored as (select * from campaign_type_counts where ${companyId}::bigint is null or company_id = ${companyId})
  select company_id, tipo_campania, coalesce(s.campaigns, 0)::integer as stored, coalesce(t.campaigns, 0)::integer as recomputed
  from truth t full join stored s using (company_id, tipo_campania)
  where coalesce(t.campaigns, 0) <> coalesce(s.campaigns, 0)
  order by company_id, tipo_campania`

export async function findTypeCountDrift (db: Db, companyId: number | null = null): Promise<TypeCountDrift[]> {
  return (await countedTypes(companyId).execute(db)).rows
}

/** Replaces the campaign counts per type (of one company, or all) with a count of the campaigns, returning those that differed. */
export function rebuildTypeCounts (db: Kysely<Database>, companyId: number | null = null): Promise<TypeCountDrift[]> {
  return replaceFromCampaigns(db, companyId, 'campaign_type_counts', (trx) => findTypeCountDrift(trx, companyId), sql`
    insert into campaign_type_counts (company_id, tipo_campania, campaigns)
    select company_id, tipo_campania, count(*) from campaigns
    where ${companyId}::bigint is null or company_id = ${companyId} group by company_id, tipo_campania`)
}
