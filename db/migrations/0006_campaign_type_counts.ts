import { sql, type Kysely } from 'kysely'

// The number of campaigns per company and type, kept like the flight totals
// (0005_overview_aggregates.ts): statement-level triggers on campaigns add commuting deltas, in key
// order, in the transaction of the write. The v1 list's exact total, unfiltered or by type, reads
// one row per type instead of summing every flight. Writers of one company and type meet on its
// row's lock until they commit, as writers of one flight already do on the flight's.

const DELTA = (rows: string) => `
  insert into campaign_type_counts as t (company_id, tipo_campania, campaigns)
  select company_id, tipo_campania, sum(n) from (${rows}) as d
  group by company_id, tipo_campania
  having sum(n) <> 0
  order by company_id, tipo_campania
  on conflict (company_id, tipo_campania) do update set campaigns = t.campaigns + excluded.campaigns`

const ADDED = 'select company_id, tipo_campania, 1 as n from new_rows'
const REMOVED = 'select company_id, tipo_campania, -1 as n from old_rows'

const EVENTS = [
  { event: 'insert', referencing: 'new table as new_rows', rows: ADDED },
  { event: 'update', referencing: 'old table as old_rows new table as new_rows', rows: `${ADDED} union all ${REMOVED}` },
  { event: 'delete', referencing: 'old table as old_rows', rows: REMOVED }
]

export async function up (db: Kysely<any>): Promise<void> {
  // No foreign key to companies, as for the flight totals: a company's deletion cascades to its campaigns, whose trigger then subtracts.
  await db.schema.createTable('campaign_type_counts')
    .addColumn('company_id', 'bigint', (c) => c.notNull())
    .addColumn('tipo_campania', 'text', (c) => c.notNull())
    .addColumn('campaigns', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('campaign_type_counts_pkey', ['company_id', 'tipo_campania'])
    .execute()
  for (const { event, referencing, rows } of EVENTS) {
    const name = `campaign_types_after_${event}`
    await sql.raw(`create function ${name} () returns trigger language plpgsql as $$
begin
  ${DELTA(rows)};
  return null;
end $$`).execute(db)
    await sql.raw(`create trigger ${name} after ${event} on campaigns referencing ${referencing} for each statement execute function ${name}()`).execute(db)
  }
  await sql`insert into campaign_type_counts select company_id, tipo_campania, count(*) from campaigns group by company_id, tipo_campania`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const { event } of EVENTS) {
    await sql.raw(`drop trigger campaign_types_after_${event} on campaigns`).execute(db)
    await sql.raw(`drop function campaign_types_after_${event}()`).execute(db)
  }
  await db.schema.dropTable('campaign_type_counts').execute()
}
