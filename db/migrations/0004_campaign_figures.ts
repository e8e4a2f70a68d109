import { sql, type Kysely } from 'kysely'

// A campaign's figures from its facts, kept on its row: sites_count and periods_count (the list's
// counts), and its distinct metro zones and states (the zm and estado filters, through a GIN
// index). So a list page reads campaigns only: one index range scan, whatever the filters.
//
// They are kept by statement-level triggers with transition tables, in the transaction of the
// write: every writer is covered (the campaign service, the importer's set-based merge, seeds, a
// restore, a hand-written fix), and an import's merge pays one set-based recomputation per
// statement for the campaigns that statement touched, never one per row. The recomputation is
// from the base rows, not a delta, so it cannot accumulate an error; writers of one campaign's
// facts are serialised by the campaign row's lock the UPDATE takes.
//
// PostgreSQL refuses transition tables on a trigger with more than one event: one trigger per event.

// Each refresh comes in two plans, chosen by the number of campaigns touched: a few (a PATCH's
// cascade, a small import) walk each campaign's facts by the primary key (company_id, campaign_id,
// ...); many (a large import) are one hash aggregate over the companies' facts. The planner
// cannot choose by itself: it estimates an unnest() at 10 rows, and with 4,000 campaigns touched
// its nested loop over every site took 30 s where either plan here takes well under one.
const EACH_LIMIT = 2000

const SITE_FIGURES = `count(distinct f.site_id)::integer as sites_count,
      coalesce(array_agg(distinct s.zm) filter (where s.zm is not null), '{}') as zms,
      coalesce(array_agg(distinct s.estado) filter (where s.estado is not null), '{}') as estados`
const TOUCHED = 'touched as (select distinct company_id, id from unnest(companies, campaigns) as t(company_id, id))'
const SET_SITES = (x: string) => `update campaigns c set sites_count = ${x}.sites_count, zms = ${x}.zms, estados = ${x}.estados`
const SITES_CHANGED = (x: string) => `(c.sites_count, c.zms, c.estados) is distinct from (${x}.sites_count, ${x}.zms, ${x}.estados)`

export const REFRESH_FUNCTIONS = [
  `create function refresh_campaign_sites_each (companies bigint[], campaigns bigint[]) returns void language sql as $$
  with ${TOUCHED}
  ${SET_SITES('x')}
  from touched t cross join lateral (
    select ${SITE_FIGURES}
    from campaign_site_periods f join sites s on s.company_id = f.company_id and s.id = f.site_id
    where f.company_id = t.company_id and f.campaign_id = t.id) as x
  where c.company_id = t.company_id and c.id = t.id and ${SITES_CHANGED('x')}
$$`,
  `create function refresh_campaign_sites_bulk (companies bigint[], campaigns bigint[]) returns void language sql
  set enable_nestloop = off as $$
  with ${TOUCHED},
  figures as (
    select f.company_id, f.campaign_id, ${SITE_FIGURES}
    from campaign_site_periods f join touched t on t.company_id = f.company_id and t.id = f.campaign_id
    join sites s on s.company_id = f.company_id and s.id = f.site_id
    where f.company_id = any(companies)
    group by f.company_id, f.campaign_id),
  target as (
    select t.company_id, t.id, coalesce(x.sites_count, 0) as sites_count, coalesce(x.zms, '{}') as zms, coalesce(x.estados, '{}') as estados
    from touched t left join figures x on x.company_id = t.company_id and x.campaign_id = t.id)
  ${SET_SITES('n')}
  from target n where c.company_id = n.company_id and c.id = n.id and ${SITES_CHANGED('n')}
$$`,
  `create function refresh_campaign_periods_each (companies bigint[], campaigns bigint[]) returns void language sql as $$
  with ${TOUCHED}
  update campaigns c set periods_count = x.periods_count
  from touched t cross join lateral (
    select count(*)::integer as periods_count from campaign_periods p
    where p.company_id = t.company_id and p.campaign_id = t.id) as x
  where c.company_id = t.company_id and c.id = t.id and c.periods_count is distinct from x.periods_count
$$`,
  `create function refresh_campaign_periods_bulk (companies bigint[], campaigns bigint[]) returns void language sql
  set enable_nestloop = off as $$
  with ${TOUCHED},
  figures as (
    select p.company_id, p.campaign_id, count(*)::integer as periods_count
    from campaign_periods p join touched t on t.company_id = p.company_id and t.id = p.campaign_id
    where p.company_id = any(companies)
    group by p.company_id, p.campaign_id),
  target as (
    select t.company_id, t.id, coalesce(x.periods_count, 0) as periods_count
    from touched t left join figures x on x.company_id = t.company_id and x.campaign_id = t.id)
  update campaigns c set periods_count = n.periods_count
  from target n where c.company_id = n.company_id and c.id = n.id and c.periods_count is distinct from n.periods_count
$$`,
  ...['sites', 'periods'].map((figures) => `create function refresh_campaign_${figures} (companies bigint[], campaigns bigint[]) returns void language plpgsql as $$
begin
  if cardinality(campaigns) > ${EACH_LIMIT} then perform refresh_campaign_${figures}_bulk(companies, campaigns);
  else perform refresh_campaign_${figures}_each(companies, campaigns);
  end if;
end $$`)
]
const REFRESH_NAMES = ['sites_each', 'sites_bulk', 'periods_each', 'periods_bulk', 'sites', 'periods'].map((n) => `refresh_campaign_${n}`)

/** A trigger function calling `refresh` with the (company_id, campaign_id) pairs of its transition table(s). */
const rowsTrigger = (name: string, refresh: string, rows: string) => sql.raw(`
create function ${name} () returns trigger language plpgsql as $$
declare companies bigint[]; campaigns bigint[];
begin
  select array_agg(company_id), array_agg(campaign_id) into companies, campaigns from (${rows}) as t;
  if companies is not null then perform ${refresh}(companies, campaigns); end if;
  return null;
end $$`)

const FROM_NEW = 'select distinct company_id, campaign_id from new_rows'
const FROM_OLD = 'select distinct company_id, campaign_id from old_rows'
const FROM_BOTH = `${FROM_NEW} union ${FROM_OLD}`
// A site's zone or state changed: every campaign with a fact there.
const FROM_SITES = `select distinct f.company_id, f.campaign_id from new_rows n join old_rows o on o.company_id = n.company_id and o.id = n.id
  join campaign_site_periods f on f.company_id = n.company_id and f.site_id = n.id
  where (n.zm, n.estado) is distinct from (o.zm, o.estado)`

const TRIGGERS: Array<{ table: string, function: string, refresh: string, events: Array<['insert' | 'update' | 'delete', string]> }> = [
  { table: 'campaign_site_periods', function: 'campaign_sites', refresh: 'refresh_campaign_sites', events: [['insert', FROM_NEW], ['update', FROM_BOTH], ['delete', FROM_OLD]] },
  { table: 'campaign_periods', function: 'campaign_periods', refresh: 'refresh_campaign_periods', events: [['insert', FROM_NEW], ['update', FROM_BOTH], ['delete', FROM_OLD]] },
  { table: 'sites', function: 'site_zones', refresh: 'refresh_campaign_sites', events: [['update', FROM_SITES]] }
]

const REFERENCING = { insert: 'new table as new_rows', update: 'old table as old_rows new table as new_rows', delete: 'old table as old_rows' }

export async function up (db: Kysely<any>): Promise<void> {
  // GIN on (company_id, zms): btree_gin gives bigint a GIN operator class, so one index scan finds a company's campaigns in a zone.
  await sql`create extension if not exists btree_gin`.execute(db)
  await db.schema.alterTable('campaigns')
    .addColumn('sites_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`sites_count >= 0`))
    .addColumn('periods_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`periods_count >= 0`))
    .addColumn('zms', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('estados', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .execute()
  await sql`create index campaigns_zms_idx on campaigns using gin (company_id, zms)`.execute(db)
  await sql`create index campaigns_estados_idx on campaigns using gin (company_id, estados)`.execute(db)
  for (const definition of REFRESH_FUNCTIONS) await sql.raw(definition).execute(db)
  for (const trigger of TRIGGERS) {
    for (const [event, rows] of trigger.events) {
      const name = `${trigger.function}_after_${event}`
      await rowsTrigger(name, trigger.refresh, rows).execute(db)
      await sql.raw(`create trigger ${name} after ${event} on ${trigger.table} referencing ${REFERENCING[event]} for each statement execute function ${name}()`).execute(db)
    }
  }
  // Campaigns already stored get their figures now.
  await sql`select refresh_campaign_sites(array_agg(company_id), array_agg(id)), refresh_campaign_periods(array_agg(company_id), array_agg(id)) from campaigns having count(*) > 0`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const trigger of TRIGGERS) {
    for (const [event] of trigger.events) {
      const name = `${trigger.function}_after_${event}`
      await sql.raw(`drop trigger ${name} on ${trigger.table}`).execute(db)
      await sql.raw(`drop function ${name}()`).execute(db)
    }
  }
  for (const name of REFRESH_NAMES.reverse()) await sql.raw(`drop function ${name}(bigint[], bigint[])`).execute(db)
  await db.schema.alterTable('campaigns').dropColumn('sites_count').dropColumn('periods_count').dropColumn('zms').dropColumn('estados').execute()
}
