import { sql, type Kysely } from 'kysely'
import { REFRESH_FUNCTIONS as REFRESH_FUNCTIONS_0004 } from './0004_campaign_figures.js'
import { REFRESH_FUNCTIONS as REFRESH_FUNCTIONS_0007 } from './0007_zone_aggregates.js'

// A bulk refresh (a large import's) reads and writes the rows of the companies it refreshes only.
// Its joins to campaigns and sites are hash joins (enable_nestloop = off), and without a condition
// on company_id of their own they scanned those tables whole: every other company's campaigns and
// sites, so one company's import slowed down with the data of all the others. Each join now also
// restricts its table to the refreshed companies, which the tables' company-led indexes serve.

const SITES_BULK = REFRESH_FUNCTIONS_0007.find((definition) => definition.includes('function refresh_campaign_sites_bulk'))!
const PERIODS_BULK = REFRESH_FUNCTIONS_0004.find((definition) => definition.includes('function refresh_campaign_periods_bulk'))!
  .replace(/^create function/, 'create or replace function')

const UPDATED_ROWS = ['from target n where c.company_id = n.company_id', 'from target n where c.company_id = any(companies) and c.company_id = n.company_id']
const SITE_ROWS = ['join sites s on s.company_id = x.company_id and s.id = x.site_id', 'join sites s on s.company_id = x.company_id and s.id = x.site_id and s.company_id = any(companies)']

/** `definition` with each [from, to] replaced; each `from` must occur exactly once. */
function rewrite (definition: string, ...replacements: string[][]): string {
  return replacements.reduce((text, [from, to]) => {
    if (text.split(from).length !== 2) throw new Error(`expected one "${from}" in ${text.slice(0, 80)}`)
    return text.replace(from, to)
  }, definition)
}

export async function up (db: Kysely<any>): Promise<void> {
  await sql.raw(rewrite(SITES_BULK, SITE_ROWS, UPDATED_ROWS)).execute(db)
  await sql.raw(rewrite(PERIODS_BULK, UPDATED_ROWS)).execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await sql.raw(SITES_BULK).execute(db)
  await sql.raw(PERIODS_BULK).execute(db)
}
