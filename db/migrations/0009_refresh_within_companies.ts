import { sql, type Kysely } from 'kysely'
import { REFRESH_FUNCTIONS as REFRESH_FUNCTIONS_0004 } from './0004_campaign_figures.js'
import { REFRESH_FUNCTIONS as REFRESH_FUNCTIONS_0007 } from './0007_zone_aggregates.js'

// A bulk refresh (a large import's) reads and writes the rows of the companies it refreshes only.
// Its joins to campaigns and sites are hash joins (enable_nestloop = off), and without a condition
// on company_id of their own they scanned those tables whole: every other company's campaigns and
// sites, so one company's import slowed down with the data of all the others. Each join now also
// restricts its table to the refreshed companies, which the tables' company-led indexes serve.
//
// The companies are given once per campaign touched. `= any()` of a parameter is a linear search
// for each row it filters: on the 50,000 campaigns of an import, that was 2.5 billion comparisons
// (two minutes), so every company condition takes the distinct companies, usually one.
const COMPANIES = 'any(array(select distinct unnest(companies)))'

const definition = (functions: string[], name: string) => functions.find((text) => text.includes(`function ${name} `))!
  .replace(/^create function/, 'create or replace function')

const BEFORE = {
  sitesBulk: definition(REFRESH_FUNCTIONS_0007, 'refresh_campaign_sites_bulk'),
  periodsBulk: definition(REFRESH_FUNCTIONS_0004, 'refresh_campaign_periods_bulk'),
  sites: definition(REFRESH_FUNCTIONS_0007, 'refresh_campaign_sites'),
  periods: definition(REFRESH_FUNCTIONS_0007, 'refresh_campaign_periods')
}

const UPDATED_ROWS = ['from target n where c.company_id = n.company_id', `from target n where c.company_id = ${COMPANIES} and c.company_id = n.company_id`]

const AFTER = {
  sitesBulk: rewrite(BEFORE.sitesBulk, UPDATED_ROWS, ['where f.company_id = any(companies)', `where f.company_id = ${COMPANIES}`],
    ['join sites s on s.company_id = x.company_id and s.id = x.site_id', `join sites s on s.company_id = x.company_id and s.id = x.site_id and s.company_id = ${COMPANIES}`]),
  periodsBulk: rewrite(BEFORE.periodsBulk, UPDATED_ROWS, ['where p.company_id = any(companies)', `where p.company_id = ${COMPANIES}`]),
  sites: rewrite(BEFORE.sites, ['where n.company_id = any(companies)', `where n.company_id = ${COMPANIES}`]),
  periods: rewrite(BEFORE.periods, ['where n.company_id = any(companies)', `where n.company_id = ${COMPANIES}`])
}

/** `text` with each [from, to] replaced; each `from` must occur exactly once. */
function rewrite (text: string, ...replacements: string[][]): string {
  return replacements.reduce((result, [from, to]) => {
    if (result.split(from).length !== 2) throw new Error(`expected one "${from}" in ${result.slice(0, 80)}`)
    return result.replace(from, to)
  }, text)
}

export async function up (db: Kysely<any>): Promise<void> {
  for (const text of Object.values(AFTER)) await sql.raw(text).execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  for (const text of Object.values(BEFORE)) await sql.raw(text).execute(db)
}
