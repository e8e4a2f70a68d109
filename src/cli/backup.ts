// A backup of either engine, one command: PostgreSQL (DATABASE_URL) through scripts/backup.sh
// (pg_dump -Fc); the embedded database (PGlite) as a compressed dump of its data directory.
import '../node-version.js'
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { integerOption, readCommandLine } from './command-line.js'
import { embeddedBackupName, embeddedBackups, scriptPath } from './embedded-backup.js'
import { ConfigError, loadProcessConfig } from '../config.js'
import { EmbeddedDatabaseLockedError, openPglite } from '../db/engine.js'

const HELP = `Usage: npm run backup -- [--dir DIR] [--keep N] [--prefix NAME]

Backs up the database the service uses:
  - DATABASE_URL set (PostgreSQL): runs scripts/backup.sh (pg_dump -Fc) and writes
    DIR/campaign-analytics-<UTC timestamp>.dump;
  - DATABASE_URL unset (the embedded database in PGLITE_DATA_DIR, default ./.data/pglite):
    writes DIR/campaign-analytics-<UTC timestamp>.pglite.tar.gz. Stop the server first: the
    embedded database has one user at a time.
Prints the file's path. Restore with npm run restore -- --file FILE.

  --dir DIR       where to write (default BACKUP_DIR, else ./backups)
  --keep N        then delete all but the newest N backups of this series
  --prefix NAME   the series' file name prefix (default campaign-analytics)
  --help          show this text`

const options = readCommandLine({ dir: { type: 'string' }, keep: { type: 'string' }, prefix: { type: 'string' } }, HELP)
const dir = options.dir ?? process.env.BACKUP_DIR ?? 'backups'
const prefix = options.prefix ?? 'campaign-analytics'
const keep = options.keep === undefined ? undefined : integerOption('--keep', options.keep, 1)

let config
try {
  config = loadProcessConfig()
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(`${error.message}\nBackup failed: fix the settings above.`)
  process.exit(1)
}

if (config.DATABASE_URL) {
  const args = ['--dir', dir, '--prefix', prefix, '--url', config.DATABASE_URL, ...(keep === undefined ? [] : ['--keep', String(keep)])]
  const result = spawnSync('bash', [scriptPath('backup.sh'), ...args], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}

const file = path.join(dir, embeddedBackupName(prefix))
try {
  mkdirSync(dir, { recursive: true })
  const pglite = await openPglite({ TESTING: false, PGLITE_DATA_DIR: config.PGLITE_DATA_DIR })
  try {
    const dump = await pglite.dumpDataDir('gzip')
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  } finally {
    await pglite.close()
  }
} catch (error) {
  rmSync(file, { force: true })
  const message = error instanceof EmbeddedDatabaseLockedError ? error.message : `Backup of ${config.PGLITE_DATA_DIR} failed: ${(error as Error).message}`
  console.error(message)
  process.exit(1)
}
console.log(file)
if (keep !== undefined) {
  for (const old of embeddedBackups(dir, prefix).slice(0, -keep)) rmSync(old)
}
