import { sql, type Kysely } from 'kysely'

// A company's data version: a new random value in the transaction of every statement that writes
// its campaigns, so a figure computed from them can be reused for as long as the version it was
// computed at is current (the overview's cache, src/modules/analytics/overview-cache.ts). Every
// input of the overview reaches the campaigns: a fact, a period or a site's zone changes them
// through the refresh of 0004_campaign_figures.ts, and the aggregates of 0005-0007 follow them.
// A random value rather than a counter: a restored backup cannot bring back a version some
// process has already seen with other figures.
//
// The triggers are named to fire before the aggregates' (PostgreSQL fires a table's triggers of
// one event in name order), so a writer takes its company's version row before any aggregate row:
// writers of one company meet on one lock, in one order.

const BUMP = (rows: string) => `
  insert into company_data_versions (company_id, version)
  select company_id, gen_random_uuid() from (select distinct company_id from ${rows}) as changed
  order by company_id
  on conflict (company_id) do update set version = excluded.version`

const EVENTS = [
  { event: 'insert', referencing: 'new table as new_rows', rows: 'new_rows' },
  { event: 'update', referencing: 'new table as new_rows', rows: 'new_rows' },
  { event: 'delete', referencing: 'old table as old_rows', rows: 'old_rows' }
]

export async function up (db: Kysely<any>): Promise<void> {
  // No foreign key to companies, as for the aggregates: a company's deletion cascades to its campaigns.
  await db.schema.createTable('company_data_versions')
    .addColumn('company_id', 'bigint', (c) => c.primaryKey())
    .addColumn('version', 'uuid', (c) => c.notNull())
    .execute()
  for (const { event, referencing, rows } of EVENTS) {
    const name = `campaign_data_versions_after_${event}`
    await sql.raw(`create function ${name} () returns trigger language plpgsql as $$
begin
  ${BUMP(rows)};
  return null;
end $$`).execute(db)
    await sql.raw(`create trigger ${name} after ${event} on campaigns referencing ${referencing} for each statement execute function ${name}()`).execute(db)
  }
  await sql`insert into company_data_versions select id, gen_random_uuid() from companies`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const { event } of EVENTS) {
    await sql.raw(`drop trigger campaign_data_versions_after_${event} on campaigns`).execute(db)
    await sql.raw(`drop function campaign_data_versions_after_${event}()`).execute(db)
  }
  await db.schema.dropTable('company_data_versions').execute()
}
