// Runs once before the test files (tap's "before"): migrates the suite's database.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { connectDatabase } from '../../src/db/engine.js'
import { migrateToLatest } from '../../src/db/migrator.js'
import { DATABASE_DEFAULTS, TEMPLATE_PATH, TEST_DATABASE_URL } from './database.js'

const started = Date.now()
const connection = await connectDatabase(DATABASE_DEFAULTS)
try {
  await migrateToLatest(connection.db)
  if (connection.pglite) {
    await mkdir(path.dirname(TEMPLATE_PATH), { recursive: true })
    const dump = await connection.pglite.dumpDataDir('gzip')
    await writeFile(TEMPLATE_PATH, Buffer.from(await dump.arrayBuffer()))
  }
} finally {
  await connection.close()
}
console.log(`# test database ready (${TEST_DATABASE_URL ? 'PostgreSQL server' : 'PGlite template'}) in ${Date.now() - started} ms`)
