import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { runSeeds } from '../../src/db/seeder.js'
import { openTestDatabase, uniqueName } from '../helper.js'

t.test('runSeeds runs every seed file in name order and skips declarations', async (t) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'seeds-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  const name = uniqueName('seeded')
  const seed = (suffix: string) => `export async function seed (db) {
  await db.insertInto('companies').values({ name: ${JSON.stringify(name + suffix)} }).onConflict((oc) => oc.doNothing()).execute()
}
`
  writeFileSync(path.join(folder, '02_second.mjs'), seed('-b'))
  writeFileSync(path.join(folder, '01_first.mjs'), seed('-a'))
  writeFileSync(path.join(folder, '01_first.d.ts'), 'export {}')
  writeFileSync(path.join(folder, 'README.md'), 'not a seed')
  const connection = await openTestDatabase()
  t.teardown(() => connection.close())

  t.same(await runSeeds(connection.db, folder), ['01_first', '02_second'])
  t.same(await runSeeds(connection.db, folder), ['01_first', '02_second'], 'runs again (seeds are idempotent)')
  const rows = await connection.db.selectFrom('companies').select('name').where('name', 'like', `${name}%`).orderBy('name').execute()
  t.same(rows.map((r) => r.name), [`${name}-a`, `${name}-b`])
})

t.test('a missing folder means no seeds; a file without seed() is an error', async (t) => {
  const connection = await openTestDatabase()
  t.teardown(() => connection.close())
  t.same(await runSeeds(connection.db, path.join(tmpdir(), 'no-such-seeds-folder')), [])
  const folder = mkdtempSync(path.join(tmpdir(), 'seeds-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  writeFileSync(path.join(folder, '01_broken.mjs'), 'export const nothing = 1\n')
  await t.rejects(runSeeds(connection.db, folder), /01_broken.mjs does not export a seed\(db\) function/)
})
