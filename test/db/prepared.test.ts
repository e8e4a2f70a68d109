import t from 'tap'
import { sql } from 'kysely'
import { openTestDatabase, uniqueName } from '../helper.js'
import { preparedQuery } from '../../src/db/prepared.js'
import type { Database } from '../../src/db/schema.js'
import type { Kysely } from 'kysely'

const preparedNames = (db: Kysely<Database>) =>
  sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(db).then(({ rows }) => rows.map((r) => r.name))

t.test('a prepared query runs by name on its connection, with each call\'s own parameters', async (t) => {
  const connection = await openTestDatabase()
  t.teardown(() => connection.close())
  const companyByName = preparedQuery('test_company_by_name', (db: Kysely<Database>, name: string, minimumId: number) =>
    db.selectFrom('companies').select(['id', 'name']).where('name', '=', name).where('id', '>=', minimumId), ['example', 0])
  const company = uniqueName('Prepared Co')
  const { id } = await connection.db.insertInto('companies').values({ name: company }).returning('id').executeTakeFirstOrThrow()

  // One connection, so the statement and the catalog query meet on the same session.
  await connection.db.connection().execute(async (db) => {
    t.notOk((await preparedNames(db)).includes('test_company_by_name'), 'nothing is prepared before the first call')
    t.same(await companyByName(db, company, 0), [{ id, name: company }])
    t.same(await companyByName(db, company, id + 1), [], 'the second call binds its own parameters')
    t.same(await companyByName(db, 'Nobody', 0), [])
    t.ok((await preparedNames(db)).includes('test_company_by_name'), 'the statement is prepared on the connection')
  })
})

t.test('an example whose values do not come out as the parameters, in order, is refused', async (t) => {
  const connection = await openTestDatabase()
  t.teardown(() => connection.close())
  // The builder swaps the parameters' order: compiled parameters would be [0, 'example'].
  const swapped = preparedQuery('test_swapped', (db: Kysely<Database>, name: string, minimumId: number) =>
    db.selectFrom('companies').select('id').where('id', '>=', minimumId).where('name', '=', name), ['example', 0])
  await t.rejects(swapped(connection.db, 'x', 1), /compiled parameters \[0,"example"\] are not the example's \["example",0\]/)
})
