import t from 'tap'
import { sql } from 'kysely'
import { DATABASE_COLUMNS } from '../../src/db/columns.js'
import { openTestDatabase } from '../helper.js'

t.test('the Database interface matches the migrated catalog, table by table and column by column', async (t) => {
  const connection = await openTestDatabase()
  t.teardown(() => connection.close())
  const { rows } = await sql<{ table_name: string, column_name: string, data_type: string }>`
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = current_schema() and table_name not like 'kysely_%'`.execute(connection.db)
  const catalog: Record<string, Record<string, string>> = {}
  for (const row of rows) (catalog[row.table_name] ??= {})[row.column_name] = row.data_type
  t.same(catalog, DATABASE_COLUMNS)
})
