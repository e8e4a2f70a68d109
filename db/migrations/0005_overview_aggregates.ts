import { sql, type Kysely } from 'kysely'

// The overview's totals, by type and by month, kept per company and flight: one row per
// (tipo_campania, fecha_inicio, fecha_fin) with the number of campaigns and their exact sums. The
// overview's type and date-range filters (the flight overlaps [start_date, end_date]) select whole
// rows, so it sums at most as many rows as the company has distinct flights, whatever its number
// of campaigns. Kept by statement-level triggers on campaigns, in the transaction of the write,
// as deltas (+ the new rows, - the old ones) that commute: concurrent writers add to the same row
// under its row lock, in key order (no deadlock). Rows that fall to zero campaigns stay (a later
// campaign reuses them) and are skipped by the reads. No foreign key to companies: deleting a
// company cascades to its campaigns, whose trigger then subtracts from rows a cascade could already
// have removed.

const DELTA = (rows: string) => sql.raw(`
  insert into campaign_flight_totals as t (company_id, tipo_campania, fecha_inicio, fecha_fin, campaigns, impactos_personas, impactos_vehiculos, alcance)
  select company_id, tipo_campania, fecha_inicio, fecha_fin, sum(n), sum(p), sum(v), sum(a) from (${rows}) as d
  group by company_id, tipo_campania, fecha_inicio, fecha_fin
  having sum(n) <> 0 or sum(p) <> 0 or sum(v) <> 0 or sum(a) <> 0
  order by company_id, tipo_campania, fecha_inicio, fecha_fin
  on conflict (company_id, tipo_campania, fecha_inicio, fecha_fin) do update set
    campaigns = t.campaigns + excluded.campaigns, impactos_personas = t.impactos_personas + excluded.impactos_personas,
    impactos_vehiculos = t.impactos_vehiculos + excluded.impactos_vehiculos, alcance = t.alcance + excluded.alcance`)

const ADDED = `select company_id, tipo_campania, fecha_inicio, fecha_fin, 1 as n, coalesce(impactos_personas, 0)::numeric as p,
  coalesce(impactos_vehiculos, 0)::numeric as v, coalesce(alcance, 0)::numeric as a from new_rows`
const REMOVED = `select company_id, tipo_campania, fecha_inicio, fecha_fin, -1 as n, -coalesce(impactos_personas, 0)::numeric as p,
  -coalesce(impactos_vehiculos, 0)::numeric as v, -coalesce(alcance, 0)::numeric as a from old_rows`

const EVENTS = [
  { event: 'insert', referencing: 'new table as new_rows', rows: ADDED },
  { event: 'update', referencing: 'old table as old_rows new table as new_rows', rows: `${ADDED} union all ${REMOVED}` },
  { event: 'delete', referencing: 'old table as old_rows', rows: REMOVED }
]

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('campaign_flight_totals')
    .addColumn('company_id', 'bigint', (c) => c.notNull())
    .addColumn('tipo_campania', 'text', (c) => c.notNull())
    .addColumn('fecha_inicio', 'date', (c) => c.notNull())
    .addColumn('fecha_fin', 'date', (c) => c.notNull())
    // No CHECK (campaigns >= 0): a delta's proposed row is negative, and PostgreSQL checks it before ON CONFLICT turns it into an addition.
    .addColumn('campaigns', 'bigint', (c) => c.notNull())
    .addColumn('impactos_personas', 'numeric', (c) => c.notNull())
    .addColumn('impactos_vehiculos', 'numeric', (c) => c.notNull())
    .addColumn('alcance', 'numeric', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_flight_totals_pkey', ['company_id', 'tipo_campania', 'fecha_inicio', 'fecha_fin'])
    .execute()
  for (const { event, referencing, rows } of EVENTS) {
    const name = `campaign_flights_after_${event}`
    await sql.raw(`create function ${name} () returns trigger language plpgsql as $$
begin
  ${DELTA(rows).compile(db).sql};
  return null;
end $$`).execute(db)
    await sql.raw(`create trigger ${name} after ${event} on campaigns referencing ${referencing} for each statement execute function ${name}()`).execute(db)
  }
  // The campaigns already stored.
  await sql`insert into campaign_flight_totals
    select company_id, tipo_campania, fecha_inicio, fecha_fin, count(*), coalesce(sum(impactos_personas), 0), coalesce(sum(impactos_vehiculos), 0), coalesce(sum(alcance), 0)
    from campaigns group by company_id, tipo_campania, fecha_inicio, fecha_fin`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const { event } of EVENTS) {
    await sql.raw(`drop trigger campaign_flights_after_${event} on campaigns`).execute(db)
    await sql.raw(`drop function campaign_flights_after_${event}()`).execute(db)
  }
  await db.schema.dropTable('campaign_flight_totals').execute()
}
