import t, { type Test } from 'tap'
import { sql } from 'kysely'
import { randomBytes } from 'node:crypto'
import { connectDatabase, type DatabaseConnection } from '../../src/db/engine.js'
import { createMigrator, migrateAllDown, migrateDown, migrateToLatest } from '../../src/db/migrator.js'
import { DATABASE_DEFAULTS, TEST_DATABASE_URL } from '../support/database.js'

/** A brand-new empty database on the suite's engine, dropped afterwards. */
async function emptyDatabase (t: Test): Promise<DatabaseConnection> {
  if (!TEST_DATABASE_URL) {
    const connection = await connectDatabase(DATABASE_DEFAULTS)
    t.teardown(() => connection.close())
    return connection
  }
  const name = `migrations_${randomBytes(6).toString('hex')}`
  const admin = await connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: TEST_DATABASE_URL })
  await sql`create database ${sql.id(name)}`.execute(admin.db)
  const url = new URL(TEST_DATABASE_URL)
  url.pathname = `/${name}`
  const connection = await connectDatabase({ ...DATABASE_DEFAULTS, DATABASE_URL: url.toString() })
  t.teardown(async () => {
    await connection.close()
    await sql`drop database if exists ${sql.id(name)}`.execute(admin.db)
    await admin.close()
  })
  return connection
}

async function tables (connection: DatabaseConnection): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(connection.db)
  return rows.rows.map((r) => r.table_name)
}

t.test('migrations go up, all the way down, and up again', async (t) => {
  const connection = await emptyDatabase(t)
  const all = await createMigrator(connection.db).getMigrations()
  t.ok(all.length >= 1, `${all.length} migrations found`)

  await migrateToLatest(connection.db)
  const afterUp = await tables(connection)
  t.ok(afterUp.includes('users') && afterUp.includes('refresh_tokens') && afterUp.includes('companies'))

  await migrateDown(connection.db)
  const pending = (await createMigrator(connection.db).getMigrations()).filter((m) => !m.executedAt)
  t.equal(pending.length, 1, 'one step down undoes exactly the last migration')

  await migrateAllDown(connection.db)
  t.same(await tables(connection), [], 'nothing left after rolling everything back')

  await migrateToLatest(connection.db)
  t.same(await tables(connection), afterUp, 'up again recreates the same tables')

  const second = await migrateToLatest(connection.db)
  t.same(second.results, [], 'migrating an up-to-date database is a no-op')
})

t.test('users.email is unique case-insensitively', async (t) => {
  const connection = await emptyDatabase(t)
  await migrateToLatest(connection.db)
  const company = await connection.db.insertInto('companies').values({ name: 'Acme' }).returning('id').executeTakeFirstOrThrow()
  await connection.db.insertInto('users').values({ company_id: company.id, email: 'ana@example.com', password_hash: 'x' }).execute()
  await t.rejects(
    connection.db.insertInto('users').values({ company_id: company.id, email: 'ANA@example.com', password_hash: 'x' }).execute(),
    { code: '23514' }, 'an unnormalised email is refused by its CHECK')
  await t.rejects(
    connection.db.insertInto('users').values({ company_id: company.id, email: 'ana@example.com', password_hash: 'y' }).execute(),
    { code: '23505' })
})
