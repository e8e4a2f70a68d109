import type { ConflictPolicy } from '../../../schemas/imports.js'
import { CAMPAIGN_STAGING } from './campaigns-file.js'
import { SITE_ATTRIBUTES, SITE_FACTS } from './columns.js'
import { PERIOD_STAGING } from './periods-file.js'
import type { ReportBuilder } from './report.js'
import type { ImportSession } from './session.js'
import { SITE_STAGING } from './sites-file.js'

// Staging -> final tables: the same SQL on both engines. Upserts by natural key change a row only
// when a value differs, so a second identical import leaves every row (and updated_at) untouched.

const STAGING = [CAMPAIGN_STAGING, PERIOD_STAGING, SITE_STAGING, { table: 'import_accepted', columns: ['name', 'line'], types: ['text', 'integer'] }]

export async function createStaging (session: ImportSession): Promise<void> {
  for (const { table, columns, types } of STAGING) {
    await session.query(`create temp table ${table} (${columns.map((c, i) => `${c} ${types[i]}`).join(', ')}) on commit drop`)
  }
}

const ROW_VALUES = `row(${[...SITE_ATTRIBUTES, ...SITE_FACTS].map((c) => `s.${c.name}`).join(', ')})::text`
const SITE_COLUMNS = SITE_ATTRIBUTES.map((s) => s.name)

const order = (policy: ConflictPolicy) => policy === 'last' ? 'desc' : 'asc'

export type SiteDuplicate = { name: string, line: number, duplicateOf: number }

/** One key with different rows is a conflict; exact duplicate rows are returned, to be counted once their campaign is known to be kept. */
export async function findSiteConflicts (session: ImportSession, report: ReportBuilder, policy: ConflictPolicy): Promise<{ duplicates: SiteDuplicate[], repeatedKeys: boolean }> {
  const duplicates: SiteDuplicate[] = []
  // Temp tables are never auto-analysed; the plans below only need the key columns' statistics.
  await session.query('analyze import_site_rows (name, codigo_del_sitio, id_fourteen)')
  await session.query('analyze import_campaigns (name, line)')
  await session.query('analyze import_periods (name)')
  // Keys seen more than once first (cheap), then the row values of those keys only.
  const { rows } = await session.query<{ name: string, codigo_del_sitio: string, id_fourteen: string, lines: number[], hashes: string[] }>(`
    select s.name, s.codigo_del_sitio, s.id_fourteen, array_agg(s.line order by s.line) as lines, array_agg(md5(${ROW_VALUES}) order by s.line) as hashes
    from import_site_rows s join (select name, codigo_del_sitio, id_fourteen from import_site_rows group by 1, 2, 3 having count(*) > 1) k
      on k.name = s.name and k.codigo_del_sitio = s.codigo_del_sitio and k.id_fourteen = s.id_fourteen
    group by 1, 2, 3`)
  for (const group of rows) {
    const firstOf = new Map<string, number>()
    group.hashes.forEach((hash, i) => {
      const first = firstOf.get(hash)
      if (first === undefined) firstOf.set(hash, group.lines[i])
      else duplicates.push({ name: group.name, line: group.lines[i], duplicateOf: first })
    })
    if (firstOf.size === 1) continue
    const lines = [...firstOf.values()]
    const key = `${group.name} ${group.codigo_del_sitio} ${group.id_fourteen}`
    if (policy === 'reject') {
      report.conflict({ file: 'sites', key, lines, columns: ['(site row figures)'], resolution: 'rejected' })
      report.rejectCampaign(group.name, `site ${group.codigo_del_sitio} in ${group.id_fourteen} has conflicting rows (sites lines ${lines.join(', ')})`)
    } else {
      // The version of the key's first or last row (countValid picks that very row), named by its first line.
      const kept = firstOf.get(policy === 'first' ? group.hashes[0] : group.hashes[group.hashes.length - 1])!
      report.conflict({ file: 'sites', key, lines, columns: ['(site row figures)'], resolution: `kept line ${kept} (--on-conflict ${policy})` })
      for (const line of lines) if (line !== kept) report.supersede('sites', group.name)
    }
  }
  await createSiteVersions(session, 'import_site_rows')
  const { rows: sites } = await session.query<{ codigo_del_sitio: string, lines: number[] }>(`
    select codigo_del_sitio, array_agg(first_line order by first_line) as lines from import_site_versions group by 1 having count(*) > 1`)
  for (const site of sites) {
    const resolution = policy === 'reject' ? 'rejected' : `kept the attributes of the ${policy} row (--on-conflict ${policy})`
    report.conflict({ file: 'sites', key: site.codigo_del_sitio, lines: site.lines, columns: ['(site attributes)'], resolution })
    if (policy !== 'reject') continue
    const { rows: users } = await session.query<{ name: string }>('select distinct name from import_site_rows where codigo_del_sitio = $1', [site.codigo_del_sitio])
    for (const { name } of users) report.rejectCampaign(name, `site ${site.codigo_del_sitio} has conflicting attributes (sites lines ${site.lines.join(', ')})`)
  }
  return { duplicates, repeatedKeys: rows.length > 0 }
}

/**
 * Each site code's distinct attribute sets with the first and last line carrying each, in one
 * hash aggregate: the attribute conflicts and the sites upsert both read it, instead of each
 * sorting every staging row. countValid makes it again from the picked rows when they are not
 * all of staging.
 */
async function createSiteVersions (session: ImportSession, from: string): Promise<void> {
  await session.query('drop table if exists import_site_versions')
  await session.query(`create temp table import_site_versions on commit drop as
    select codigo_del_sitio, ${SITE_COLUMNS.join(', ')}, min(line) as first_line, max(line) as last_line
    from ${from} group by codigo_del_sitio, ${SITE_COLUMNS.join(', ')}`)
}

/** Rows of rejected campaigns that reached staging: counted and listed as rejected with their campaign's reason. */
export async function rejectedSiteRows (session: ImportSession, rejected: string[], limit: number): Promise<{ count: number, rows: Array<{ line: number, name: string }> }> {
  if (rejected.length === 0) return { count: 0, rows: [] }
  const { rows: [{ count }] } = await session.query<{ count: number }>('select count(*)::integer as count from import_site_rows where name = any($1)', [rejected])
  const { rows } = await session.query<{ line: number, name: string }>('select line, name from import_site_rows where name = any($1) order by line limit $2', [rejected, limit])
  return { count, rows }
}

const CAMPAIGN_COLUMNS = CAMPAIGN_STAGING.columns.filter((c) => c !== 'line' && c !== 'name')
const PERIOD_VALUES = ['impactos_periodo_personas', 'impactos_periodo_vehiculos']
const FACT_COLUMNS = SITE_FACTS.filter((s) => s.name !== 'id_fourteen').map((s) => s.name)

const set = (columns: string[]) => columns.map((c) => `${c} = excluded.${c}`).join(', ')
const changed = (table: string, columns: string[]) => `(${columns.map((c) => `${table}.${c}`).join(', ')}) is distinct from (${columns.map((c) => `excluded.${c}`).join(', ')})`

export type MergeCounts = { periods: number, siteRows: number }

/**
 * Picks the winning site row of each key among accepted campaigns. The common case (no key twice,
 * no campaign rejected) renames staging instead of copying a million rows.
 */
export async function countValid (session: ImportSession, policy: ConflictPolicy, shape: { repeatedKeys: boolean, rejectedCampaigns: boolean }): Promise<MergeCounts> {
  await session.query('analyze import_accepted')
  if (!shape.repeatedKeys && !shape.rejectedCampaigns) {
    // Same table, same statistics: no second analyze.
    await session.query('alter table import_site_rows rename to import_site_pick')
  } else {
    const accepted = 'from import_site_rows s join import_accepted a on a.name = s.name'
    const pick = shape.repeatedKeys
      ? `select distinct on (s.name, s.codigo_del_sitio, s.id_fourteen) s.* ${accepted}
        order by s.name, s.codigo_del_sitio, s.id_fourteen, s.line ${order(policy)}`
      : `select s.* ${accepted}`
    await session.query(`create temp table import_site_pick on commit drop as ${pick}`)
    await session.query('analyze import_site_pick (name, codigo_del_sitio, id_fourteen)')
    await createSiteVersions(session, 'import_site_pick')
  }
  const { rows: [counts] } = await session.query<{ periods: number, site_rows: number }>(`select
    (select count(*)::integer from import_periods p join import_accepted a on a.name = p.name) as periods,
    (select count(*)::integer from import_site_pick) as site_rows`)
  return { periods: counts.periods, siteRows: counts.site_rows }
}

export async function mergeIntoFinal (session: ImportSession, companyId: number, policy: ConflictPolicy): Promise<void> {
  // periods_count as the periods below will make it: the periods statement's trigger
  // (db/migrations/0004_campaign_figures.ts) recomputes it and rewrites only the campaigns where it
  // differs, so a new campaign's row is written once instead of twice.
  await session.query(`insert into campaigns (company_id, name, ${CAMPAIGN_COLUMNS.join(', ')}, periods_count)
    select $1, s.name, ${CAMPAIGN_COLUMNS.map((c) => `s.${c}`).join(', ')}, coalesce(p.periods, 0)
    from import_campaigns s join import_accepted a on a.name = s.name and a.line = s.line
    left join (select name, count(*)::integer as periods from import_periods group by name) p on p.name = s.name
    on conflict (company_id, name) do update set ${set([...CAMPAIGN_COLUMNS, 'periods_count'])}, updated_at = now() where ${changed('campaigns', CAMPAIGN_COLUMNS)}`, [companyId])

  const accepted = 'from import_accepted a join campaigns c on c.company_id = $1 and c.name = a.name'
  await session.query(`insert into campaign_periods (company_id, campaign_id, period, ${PERIOD_VALUES.join(', ')})
    select $1, c.id, p.period, ${PERIOD_VALUES.map((c) => `p.${c}`).join(', ')} ${accepted} join import_periods p on p.name = a.name
    on conflict (company_id, campaign_id, period) do update set ${set(PERIOD_VALUES)} where ${changed('campaign_periods', PERIOD_VALUES)}`, [companyId])
  await session.query(`delete from campaign_periods cp using import_accepted a, campaigns c
    where c.company_id = $1 and c.name = a.name and cp.company_id = $1 and cp.campaign_id = c.id
      and not exists (select 1 from import_periods p where p.name = a.name and p.period = cp.period)`, [companyId])

  // The attributes of each code's first row (its last with --on-conflict last).
  await session.query(`insert into sites (company_id, codigo_del_sitio, ${SITE_COLUMNS.join(', ')})
    select distinct on (codigo_del_sitio) $1, codigo_del_sitio, ${SITE_COLUMNS.join(', ')} from import_site_versions
    order by codigo_del_sitio, ${policy === 'last' ? 'last_line desc' : 'first_line'}
    on conflict (company_id, codigo_del_sitio) do update set ${set(SITE_COLUMNS)} where ${changed('sites', SITE_COLUMNS)}`, [companyId])

  // Facts the files no longer hold go first: a new campaign has none, so a first import deletes nothing
  // instead of checking every row it just inserted.
  await session.query(`delete from campaign_site_periods f using import_accepted a, campaigns c
    where c.company_id = $1 and c.name = a.name and f.company_id = $1 and f.campaign_id = c.id
      and not exists (select 1 from import_site_pick p join sites st on st.company_id = $1 and st.codigo_del_sitio = p.codigo_del_sitio
                      where p.name = a.name and st.id = f.site_id and p.id_fourteen = f.id_fourteen)`, [companyId])
  await session.query(`insert into campaign_site_periods (company_id, campaign_id, site_id, id_fourteen, ${FACT_COLUMNS.join(', ')})
    select $1, c.id, st.id, p.id_fourteen, ${FACT_COLUMNS.map((c) => `p.${c}`).join(', ')}
    from import_site_pick p join campaigns c on c.company_id = $1 and c.name = p.name
    join sites st on st.company_id = $1 and st.codigo_del_sitio = p.codigo_del_sitio
    on conflict (company_id, campaign_id, site_id, id_fourteen) do update set ${set(FACT_COLUMNS)} where ${changed('campaign_site_periods', FACT_COLUMNS)}`, [companyId])
}
