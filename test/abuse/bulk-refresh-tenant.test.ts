import t from 'tap'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../src/db/schema.js'
import { findDrift } from '../../src/modules/analytics/figures-check.js'
import { findZoneDrift } from '../../src/modules/analytics/zones-check.js'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { fillLargeTenant } from './large-tenant.js'

// A large import refreshes its campaigns' figures in bulk (db/migrations/0004, 0007, 0009): hash
// joins over the campaigns, sites, facts and periods of the companies refreshed. Reading another
// company's rows there would make every tenant's imports slower with the data of all the others.
const TABLES = ['campaigns', 'sites', 'campaign_site_periods', 'campaign_periods'] as const
type Table = typeof TABLES[number]

/** Rows this transaction has read from each table so far, by sequential and index scans. */
async function rowsRead (db: Kysely<Database>): Promise<Record<Table, number>> {
  const { rows } = await sql<{ relname: Table, n: number }>`
    select relname, (seq_tup_read + idx_tup_fetch)::integer as n from pg_stat_xact_user_tables
    where relname in (${sql.join(TABLES)})`.execute(db)
  return Object.fromEntries(rows.map((r) => [r.relname, r.n])) as Record<Table, number>
}

async function rowsOf (db: Kysely<Database>, companyId: number): Promise<Record<Table, number>> {
  const counts = {} as Record<Table, number>
  for (const table of TABLES) {
    const { rows: [row] } = await sql<{ n: number }>`select count(*)::integer as n from ${sql.table(table)} where company_id = ${companyId}`.execute(db)
    counts[table] = row.n
  }
  return counts
}

t.test("a bulk refresh of one company's figures restores them, reading none of another company's rows", async (t) => {
  const app = await buildTestApp(t)
  const small = await createUserWithToken(app)
  const large = await createUserWithToken(app)
  await fillLargeTenant(app.db, small.companyId, 20)
  await fillLargeTenant(app.db, large.companyId, 1000)
  // More sites than the small company's twice over too, as for every other table; and periods.
  await sql`insert into sites (company_id, codigo_del_sitio) select ${large.companyId}, 'X' || g from generate_series(1, 1000) as g`.execute(app.db)
  await sql`insert into campaign_periods (company_id, campaign_id, period) select company_id, id, p from campaigns cross join unnest(periods) as p
    where company_id in (${small.companyId}, ${large.companyId})`.execute(app.db)
  await sql`analyze sites, campaign_periods`.execute(app.db)
  const own = await rowsOf(app.db, small.companyId)
  const other = await rowsOf(app.db, large.companyId)
  for (const table of TABLES) t.ok(other[table] > 2 * own[table], `${table}: the other company has ${other[table]} rows, this one ${own[table]}`)

  await app.db.transaction().execute(async (trx) => {
    // A small table is cheapest read whole, whatever a statement's conditions; with sequential
    // scans priced out, the planner reads a company's rows alone wherever the statement allows it.
    await sql`set local enable_seqscan = off`.execute(trx)
    // Figures the refresh must put back (their aggregates follow through the campaigns' triggers).
    await sql`update campaigns set sites_count = 0, periods_count = 0, zms = '{}', estados = '{}', site_ids = '{}', site_zms = '{}', site_impactos = '{}'
      where company_id = ${small.companyId}`.execute(trx)
    t.equal((await findDrift(trx, small.companyId)).length, own.campaigns, 'every campaign of the company differs from its recomputation')
    for (const refresh of ['refresh_campaign_sites_bulk', 'refresh_campaign_periods_bulk']) {
      const before = await rowsRead(trx)
      await sql`select ${sql.raw(refresh)}(array_agg(company_id), array_agg(id)) from campaigns where company_id = ${small.companyId}`.execute(trx)
      const after = await rowsRead(trx)
      // Each of the company's rows at most twice: the refresh reads them, and the statement calling it reads the campaigns.
      for (const table of TABLES) {
        const read = after[table] - before[table]
        t.ok(read <= 2 * own[table], `${refresh}, ${table}: read ${read} rows; the company has ${own[table]}, the other ${other[table]}`)
      }
    }
    t.same(await findDrift(trx, small.companyId), [], "the company's figures equal their recomputation")
    t.same(await findZoneDrift(trx, small.companyId), [], 'and so do its zone aggregates')
  })
})
