import { sql, type Kysely } from 'kysely'
import { REFRESH_FUNCTIONS as REFRESH_FUNCTIONS_0004 } from './0004_campaign_figures.js'

// The overview's by_zm, and its figures for the zm and estado filters, kept like the flight totals
// (0005_overview_aggregates.ts) so that they cost the same at a thousand or a million campaigns:
//
// - each campaign keeps its sites with facts (site_ids, sorted), their zones (site_zms) and the
//   sum of its facts' impacts at each (site_impactos), refreshed from the facts by 0004's
//   functions, redefined here, beside its zones and states (zms, estados);
// - from those arrays, statement-level triggers on campaigns add commuting deltas to the campaigns
//   and impacts per site, and to the campaigns per zone, each per flight (for the date filter) and
//   per type (unfiltered or by type). A zone's distinct sites are its sites whose row counts a
//   campaign, so they stay exact; a campaign's distinct zones come from its own array, so it
//   counts once in each of its zones.
// - Each per-type row exists once over all campaigns (with_zm and with_estado NULL), once over the
//   campaigns with a site in each zone (with_zm) and once over those with a site in each state
//   (with_estado): the overview filtered by a zone or a state reads its own rows.
//   flight_selection_totals holds the sums of campaigns the flight totals hold, per zone and state.
//   The per-flight site and zone rows are over all campaigns only: kept per selection too, they
//   made a 200,000-row import 1.7 times as long as without any maintained figure.
//
// A site's zone or state change refreshes its campaigns (0004), whose update moves their deltas.
// Rows that fall to zero stay and are skipped by the reads; no foreign keys, as for 0005.

const FLIGHT = ['company_id', 'tipo_campania', 'fecha_inicio', 'fecha_fin']
const TYPE = ['company_id', 'tipo_campania']
const SELECTION = ['with_zm', 'with_estado']

// A campaign without a zone at one of its sites counts in the zone NULL, as the overview shows it.
// Keys lead with the company and the selection: every read is one range of the unique index.
const TABLES = [
  { name: 'flight_site_totals', keys: [...FLIGHT, 'site_id'], sums: ['impactos'] },
  { name: 'type_site_totals', keys: ['company_id', ...SELECTION, ...TYPE.slice(1), 'site_id'], sums: ['impactos'] },
  { name: 'flight_zone_counts', keys: [...FLIGHT, 'zm'], sums: [] },
  { name: 'type_zone_counts', keys: ['company_id', ...SELECTION, ...TYPE.slice(1), 'zm'], sums: [] },
  { name: 'flight_selection_totals', keys: ['company_id', ...SELECTION, ...FLIGHT.slice(1)], sums: ['impactos_personas', 'impactos_vehiculos', 'alcance'] }
] as const

const KEY_TYPES: Record<string, string> = {
  company_id: 'bigint', tipo_campania: 'text', fecha_inicio: 'date', fecha_fin: 'date', with_zm: 'text', with_estado: 'text', site_id: 'bigint', zm: 'text'
}
const NULLABLE = ['with_zm', 'with_estado', 'zm']

// Every campaign counts in the rows over all campaigns, and in those of each of its zones and states.
const ALL = 'select null::text as with_zm, null::text as with_estado'
const EACH = 'select z, null from unnest(zms) as z union all select null, e from unnest(estados) as e'
const SITE_ROWS = (rows: string, sign: 1 | -1) => `select ${FLIGHT.join(', ')}, sel.with_zm, sel.with_estado, u.site_id, ${sign} as n, ${sign} * u.impactos as impactos
  from ${rows} cross join lateral (${ALL} union all ${EACH}) as sel cross join unnest(site_ids, site_impactos) as u(site_id, impactos)`
const ZONE_ROWS = (rows: string, sign: 1 | -1) => `select ${FLIGHT.join(', ')}, sel.with_zm, sel.with_estado, z.zm, ${sign} as n
  from ${rows} cross join lateral (${ALL} union all ${EACH}) as sel cross join lateral (select distinct zm from unnest(site_zms) as u(zm)) as z`
const SELECTION_ROWS = (rows: string, sign: 1 | -1) => `select ${FLIGHT.join(', ')}, sel.with_zm, sel.with_estado, ${sign} as n,
  ${['impactos_personas', 'impactos_vehiculos', 'alcance'].map((c) => `${sign} * coalesce(${c}, 0)::numeric as ${c}`).join(', ')}
  from ${rows} cross join lateral (${EACH}) as sel(with_zm, with_estado)`

/** Adds the delta rows of `source` (n campaigns, and the sums) to `table`, in key order so concurrent writers never deadlock. */
function addDelta (table: typeof TABLES[number], source: string) {
  const keys = table.keys.join(', ')
  const sums = table.sums as readonly string[]
  // A table without selection keys takes the delta rows over all campaigns only.
  const overAll = (table.keys as readonly string[]).includes('with_zm') ? '' : ' where with_zm is null and with_estado is null'
  return `insert into ${table.name} as t (${[...table.keys, 'campaigns', ...sums].join(', ')})
    select ${[keys, 'sum(n)', ...sums.map((c) => `sum(${c})`)].join(', ')} from ${source}${overAll} group by ${keys}
    having ${['sum(n)', ...sums.map((c) => `sum(${c})`)].map((x) => `${x} <> 0`).join(' or ')} order by ${keys}
    on conflict (${keys}) do update set ${['campaigns', ...sums].map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}`
}

// An update adds its new rows and subtracts its old ones, only for the campaigns whose inputs here
// changed: a refresh of periods_count, say, touches no row of these tables. EXCEPT ALL, not an
// anti-join: PL/pgSQL plans the statement once, for transition tables it estimates at one row, and
// that plan's nested loop made a 10,000-campaign import quadratic (45 s); a set operation is not.
const INPUTS = ['company_id', 'id', 'tipo_campania', 'fecha_inicio', 'fecha_fin', 'impactos_personas', 'impactos_vehiculos', 'alcance',
  'zms', 'estados', 'site_ids', 'site_zms', 'site_impactos'].join(', ')
const CHANGED = (rows: string, other: string) => `select ${INPUTS} from ${rows} except all select ${INPUTS} from ${other}`

const CHANGED_CTES = [`added as (${CHANGED('new_rows', 'old_rows')})`, `removed as (${CHANGED('old_rows', 'new_rows')})`]

/** One statement: the changed campaigns are found once, and each table's delta is a data-modifying CTE. */
const DELTAS = (added: string | null, removed: string | null, changed: string[] = []) => {
  const rows = (of: (rows: string, sign: 1 | -1) => string) => [added && of(added, 1), removed && of(removed, -1)].filter(Boolean).join(' union all ')
  const [flightSites, typeSites, flightZones, typeZones, selections] = TABLES
  return `with ${[...changed,
    `site_delta as (${rows(SITE_ROWS)})`,
    `zone_delta as (${rows(ZONE_ROWS)})`,
    `selection_delta as (${rows(SELECTION_ROWS)})`,
    `flight_sites as (${addDelta(flightSites, 'site_delta')})`,
    `type_sites as (${addDelta(typeSites, 'site_delta')})`,
    `flight_zones as (${addDelta(flightZones, 'zone_delta')})`,
    `type_zones as (${addDelta(typeZones, 'zone_delta')})`].join(',\n')}
  ${addDelta(selections, 'selection_delta')}`
}

const EVENTS = [
  { event: 'insert', referencing: 'new table as new_rows', statement: DELTAS('new_rows', null) },
  { event: 'update', referencing: 'old table as old_rows new table as new_rows', statement: DELTAS('added', 'removed', CHANGED_CTES) },
  { event: 'delete', referencing: 'old table as old_rows', statement: DELTAS(null, 'old_rows') }
]

// 0004's refresh, now also keeping the arrays. Its bulk plan (one hash aggregate over the
// companies' facts) reads every fact of the company: it is kept for refreshes that touch a large
// share of the company's campaigns, where walking each campaign's facts would cost more.
const SITE_FIGURES = `count(*)::integer as sites_count,
      coalesce(array_agg(x.site_id order by x.site_id), '{}') as site_ids,
      coalesce(array_agg(s.zm order by x.site_id), '{}') as site_zms,
      coalesce(array_agg(x.impactos order by x.site_id), '{}') as site_impactos,
      coalesce(array_agg(distinct s.zm) filter (where s.zm is not null), '{}') as zms,
      coalesce(array_agg(distinct s.estado) filter (where s.estado is not null), '{}') as estados`
const FIGURES = ['sites_count', 'site_ids', 'site_zms', 'site_impactos', 'zms', 'estados']
const TOUCHED = 'touched as (select distinct company_id, id from unnest(companies, campaigns) as t(company_id, id))'
const SET_SITES = (x: string) => `update campaigns c set ${FIGURES.map((f) => `${f} = ${x}.${f}`).join(', ')}`
const SITES_CHANGED = (x: string) => `(${FIGURES.map((f) => `c.${f}`).join(', ')}) is distinct from (${FIGURES.map((f) => `${x}.${f}`).join(', ')})`

export const REFRESH_FUNCTIONS = [
  // Each site's zone and state through a lookup by its primary key (LIMIT 1 keeps the planner from
  // making it a join): joined, the planner could, and on a new company's statistics did, scan all
  // of the company's sites once per campaign.
  `create or replace function refresh_campaign_sites_each (companies bigint[], campaigns bigint[]) returns void language sql as $$
  with ${TOUCHED}
  ${SET_SITES('x')}
  from touched t cross join lateral (
    select ${SITE_FIGURES}
    from (select f.site_id, coalesce(sum(f.impactos_catorcenal), 0) as impactos from campaign_site_periods f
      where f.company_id = t.company_id and f.campaign_id = t.id group by f.site_id) as x
    cross join lateral (select s.zm, s.estado from sites s where s.company_id = t.company_id and s.id = x.site_id limit 1) as s) as x
  where c.company_id = t.company_id and c.id = t.id and ${SITES_CHANGED('x')}
$$`,
  `create or replace function refresh_campaign_sites_bulk (companies bigint[], campaigns bigint[]) returns void language sql
  set enable_nestloop = off as $$
  with ${TOUCHED},
  per_site as (
    select f.company_id, f.campaign_id, f.site_id, coalesce(sum(f.impactos_catorcenal), 0) as impactos
    from campaign_site_periods f join touched t on t.company_id = f.company_id and t.id = f.campaign_id
    where f.company_id = any(companies)
    group by f.company_id, f.campaign_id, f.site_id),
  figures as (
    select x.company_id, x.campaign_id, ${SITE_FIGURES}
    from per_site x join sites s on s.company_id = x.company_id and s.id = x.site_id
    group by x.company_id, x.campaign_id),
  target as (
    select t.company_id, t.id, coalesce(x.sites_count, 0) as sites_count, coalesce(x.site_ids, '{}') as site_ids,
      coalesce(x.site_zms, '{}') as site_zms, coalesce(x.site_impactos, '{}') as site_impactos,
      coalesce(x.zms, '{}') as zms, coalesce(x.estados, '{}') as estados
    from touched t left join figures x on x.company_id = t.company_id and x.campaign_id = t.id)
  ${SET_SITES('n')}
  from target n where c.company_id = n.company_id and c.id = n.id and ${SITES_CHANGED('n')}
$$`,
  // Walking each campaign's facts costs in proportion to the campaigns touched; the bulk plan, to
  // the company's facts. So the bulk plan only when the refresh touches most of the companies' campaigns.
  ...['sites', 'periods'].map((figures) => `create or replace function refresh_campaign_${figures} (companies bigint[], campaigns bigint[]) returns void language plpgsql as $$
begin
  if cardinality(campaigns) > 2000 and cardinality(campaigns) * 2 > (select coalesce(sum(n.campaigns), 0) from campaign_type_counts n where n.company_id = any(companies)) then
    perform refresh_campaign_${figures}_bulk(companies, campaigns);
  else perform refresh_campaign_${figures}_each(companies, campaigns);
  end if;
end $$`)
]

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns')
    .addColumn('site_ids', sql`bigint[]`, (c) => c.notNull().defaultTo(sql`'{}'::bigint[]`))
    .addColumn('site_zms', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('site_impactos', sql`numeric[]`, (c) => c.notNull().defaultTo(sql`'{}'::numeric[]`))
    .execute()
  for (const table of TABLES) {
    let create = db.schema.createTable(table.name)
    for (const key of table.keys) create = create.addColumn(key, sql.raw(KEY_TYPES[key]), (c) => NULLABLE.includes(key) ? c : c.notNull())
    create = create.addColumn('campaigns', 'bigint', (c) => c.notNull())
    for (const sum of table.sums) create = create.addColumn(sum, 'numeric', (c) => c.notNull())
    // Half-empty pages: most writes add to existing rows, and room on the page keeps those updates HOT.
    await create.modifyEnd(sql`with (fillfactor = 50)`).execute()
    // A unique index, not a primary key: a zone or a selection may be NULL, and NULL is one value.
    await sql.raw(`create unique index ${table.name}_key on ${table.name} (${table.keys.join(', ')}) nulls not distinct`).execute(db)
  }
  for (const definition of REFRESH_FUNCTIONS) await sql.raw(definition).execute(db)
  for (const { event, referencing, statement } of EVENTS) {
    const name = `campaign_zones_after_${event}`
    // Called within 0004's bulk refresh, the statements would inherit its enable_nestloop = off, and
    // with it costs high enough to be compiled by JIT: half a second each, for any import.
    await sql.raw(`create function ${name} () returns trigger language plpgsql set enable_nestloop = on set jit = off as $$
begin
  ${statement};
  return null;
end $$`).execute(db)
    await sql.raw(`create trigger ${name} after ${event} on campaigns referencing ${referencing} for each statement execute function ${name}()`).execute(db)
  }
  // The campaigns already stored: their zones and states (kept since 0004) give their selection
  // totals; then their refresh fills the arrays, whose update fills the other tables.
  const SUMS = ['impactos_personas', 'impactos_vehiculos', 'alcance']
  await sql.raw(`insert into flight_selection_totals (${[...FLIGHT, ...SELECTION, 'campaigns', ...SUMS].join(', ')})
    select ${[...FLIGHT, ...SELECTION].join(', ')}, count(*), ${SUMS.map((c) => `coalesce(sum(${c}), 0)`).join(', ')}
    from campaigns cross join lateral (${EACH}) as sel(with_zm, with_estado) group by ${[...FLIGHT, ...SELECTION].join(', ')}`).execute(db)
  await sql`select refresh_campaign_sites_bulk(array_agg(company_id), array_agg(id)) from campaigns having count(*) > 0`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const { event } of EVENTS) {
    await sql.raw(`drop trigger campaign_zones_after_${event} on campaigns`).execute(db)
    await sql.raw(`drop function campaign_zones_after_${event}()`).execute(db)
  }
  for (const table of TABLES) await db.schema.dropTable(table.name).execute()
  await db.schema.alterTable('campaigns').dropColumn('site_ids').dropColumn('site_zms').dropColumn('site_impactos').execute()
  for (const definition of REFRESH_FUNCTIONS_0004) await sql.raw(definition.replace(/^create function/, 'create or replace function')).execute(db)
}
