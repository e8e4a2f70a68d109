// Restores a backup of either engine: a .dump into PostgreSQL (DATABASE_URL) through
// scripts/restore.sh; a .pglite.tar.gz into the embedded database's directory (PGLITE_DATA_DIR).
import '../node-version.js'
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { readCommandLine, exitWithUsageError } from './command-line.js'
import { holdsDatabase, scriptPath } from './embedded-backup.js'
import { ConfigError, loadProcessConfig } from '../config.js'
import { EmbeddedDatabaseLockedError, openPglite, PGLITE_EXTENSIONS } from '../db/engine.js'

const HELP = `Usage: npm run restore -- --file FILE [--force]

Restores a backup made by npm run backup:
  - DATABASE_URL set (PostgreSQL): runs scripts/restore.sh on a .dump (pg_restore, one
    transaction); create the target database first (createdb);
  - DATABASE_URL unset: loads a .pglite.tar.gz into PGLITE_DATA_DIR (default ./.data/pglite).
    Stop the server first.
A target that already holds a database is refused (exit 3) unless --force, which replaces it.

  --file FILE   the backup
  --force       replace what the target holds
  --help        show this text`

const options = readCommandLine({ file: { type: 'string' }, force: { type: 'boolean' } }, HELP)
if (!options.file) exitWithUsageError('--file is required.')
const file = options.file
if (!existsSync(file)) exitWithUsageError(`${file} does not exist.`)

let config
try {
  config = loadProcessConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(`${error.message}\nRestore failed: fix the settings above.`)
  process.exit(1)
}

if (config.DATABASE_URL) {
  const result = spawnSync('bash', [scriptPath('restore.sh'), '--url', config.DATABASE_URL, ...(options.force ? ['--force'] : []), file], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}

const dir = config.PGLITE_DATA_DIR
try {
  if (holdsDatabase(dir)) {
    if (!options.force) {
      console.error(`${dir} already holds a database: run with --force to replace it (back it up first: npm run backup).`)
      process.exit(3)
    }
    // Opening it takes the lock: a running server holding the directory makes this fail, untouched.
    await (await openPglite({ TESTING: false, PGLITE_DATA_DIR: dir })).close()
    rmSync(dir, { recursive: true, force: true })
  }
  const pglite = await PGlite.create(dir, { loadDataDir: new Blob([readFileSync(file)]), extensions: PGLITE_EXTENSIONS })
  await pglite.close()
} catch (error) {
  console.error(error instanceof EmbeddedDatabaseLockedError ? error.message : `Restore into ${dir} failed: ${(error as Error).message}`)
  process.exit(1)
}
console.log(`Restored ${file} into ${dir}.`)
