// Production migration entry: compiled with the app, needs no dev tooling (kysely-ctl is for development).
// First: on a Node.js older than the supported range, the first line said is which one is needed.
import '../node-version.js'
import { readCommandLine } from './command-line.js'
import { withDatabase } from './with-database.js'
import { migrateDown, migrateToLatest } from '../db/migrator.js'

const HELP = `Usage: node dist/src/cli/migrate.js [--down] [--help]

Applies every pending migration in db/migrations to DATABASE_URL (or the embedded
PGlite directory when DATABASE_URL is unset). Idempotent; concurrent runs wait on
Kysely's migration lock, so two replicas starting at once migrate once.

  --down   undo the most recent migration instead
  --help   show this text`

const values = readCommandLine({ down: { type: 'boolean' } }, HELP)

await withDatabase(async (connection) => {
  const { results = [] } = values.down ? await migrateDown(connection.db) : await migrateToLatest(connection.db)
  for (const result of results) console.log(`${result.status === 'Success' ? '✓' : '✗'} ${result.direction} ${result.migrationName}`)
  const nothing = values.down ? 'Nothing to undo: no migration is applied.' : 'Nothing to do: the database is up to date.'
  console.log(results.length === 0 ? nothing : `${results.length} migration(s) ${values.down ? 'undone' : 'applied'}.`)
}, {
  what: 'Migration',
  nextStep: 'Nothing after the failing migration was applied; fix the cause and run the command again.'
})
