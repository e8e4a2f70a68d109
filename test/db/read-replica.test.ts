import { sql } from 'kysely'
import t from 'tap'
import { connectDatabase } from '../../src/db/engine.js'
import { migrateToLatest } from '../../src/db/migrator.js'
import { buildTestApp, createUserWithToken, testConfig } from '../helper.js'
import { DATABASE_DEFAULTS } from '../support/database.js'
import { insertCampaigns } from '../support/campaign-fixtures.js'
import { createFreshDatabase, NEEDS_SERVER } from '../support/fresh-database.js'

t.test('DATABASE_READ_URL needs DATABASE_URL and a PostgreSQL URL', async (t) => {
  t.throws(() => testConfig({ DATABASE_URL: '', DATABASE_READ_URL: 'postgres://replica/db' }), /DATABASE_READ_URL is a read replica of DATABASE_URL's server: set DATABASE_URL too/)
  t.throws(() => testConfig({ DATABASE_URL: 'postgres://primary/db', DATABASE_READ_URL: 'mysql://replica/db' }), /DATABASE_READ_URL must start with postgres:\/\/ or postgresql:\/\//)
  t.equal(testConfig({ DATABASE_URL: 'postgres://primary/db', DATABASE_READ_URL: 'postgresql://replica/db' }).DATABASE_READ_URL, 'postgresql://replica/db')
})

// The "replica" is a second database holding other rows than the primary, so every answer shows which one it came from.
t.test('campaign and analytics reads go to DATABASE_READ_URL, writes and accounts to DATABASE_URL', { skip: NEEDS_SERVER }, async (t) => {
  const primary = await createFreshDatabase(t, 'primary')
  const replica = await createFreshDatabase(t, 'replica')
  for (const url of [primary.url, replica.url]) {
    const connection = await connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: url })
    await migrateToLatest(connection.db)
    await connection.close()
  }
  const app = await buildTestApp(t, { DATABASE_URL: primary.url, DATABASE_READ_URL: replica.url })
  const admin = await createUserWithToken(app, { role: 'admin' })
  const headers = { authorization: admin.authorization }

  await sql`insert into companies (id, name) overriding system value values (${admin.companyId}, 'the same company, on the replica')`.execute(app.readDb)
  await insertCampaigns(app.readDb, admin.companyId, [{ name: 'on-the-replica', fecha_inicio: '2025-01-01', fecha_fin: '2025-01-31', tipo_campania: 'mensual' }])
  const created = await app.inject({ method: 'POST', url: '/v2/campaigns', headers, payload: { name: 'on-the-primary', fecha_inicio: '2025-02-01', fecha_fin: '2025-02-28', tipo_campania: 'mensual' } })
  t.equal(created.statusCode, 201, created.body)

  const list = await app.inject({ url: '/v2/campaigns', headers })
  t.equal(list.statusCode, 200, list.body)
  t.same(list.json().data.map((c: { name: string }) => c.name), ['on-the-replica'], 'the list reads the replica')
  t.equal((await app.inject({ url: '/v2/campaigns/on-the-replica', headers })).statusCode, 200, 'the detail reads the replica')
  t.equal((await app.inject({ url: '/v2/campaigns/on-the-primary', headers })).statusCode, 404, 'a write not replicated yet is not read')
  const overview = await app.inject({ url: '/v2/analytics/overview', headers })
  t.equal(overview.statusCode, 200, overview.body)
  t.equal(overview.json().totals.campaigns, 1, 'analytics read the replica')

  const stored = await app.db.selectFrom('campaigns').select('name').where('company_id', '=', admin.companyId).execute()
  t.same(stored.map((c) => c.name), ['on-the-primary'], 'the write went to the primary')
  const patched = await app.inject({ method: 'PATCH', url: '/v2/campaigns/on-the-primary', headers, payload: { tipo_campania: 'catorcenal' } })
  t.equal(patched.statusCode, 200, 'updates find the row on the primary')
  t.equal((await app.inject({ url: '/v2/auth/me', headers })).statusCode, 200, 'accounts are read from the primary')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200)
})

t.test('/health is 503 when the read replica does not answer', { skip: NEEDS_SERVER }, async (t) => {
  const app = await buildTestApp(t, { DATABASE_READ_URL: 'postgres://postgres@127.0.0.1:1/none', DB_CONNECTION_TIMEOUT_MS: '500' })
  const health = await app.inject({ url: '/health' })
  t.equal(health.statusCode, 503)
  t.same(health.json(), { status: 'unhealthy' })
})
