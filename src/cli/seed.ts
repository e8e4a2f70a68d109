// Production seed entry (Render's manual seed job): compiled with the app, needs no kysely-ctl.
// First: on a Node.js older than the supported range, the first line said is which one is needed.
import '../node-version.js'
import { readCommandLine } from './command-line.js'
import { withDatabase } from './with-database.js'
import { runSeeds, SEEDS_FOLDER } from '../db/seeder.js'

const HELP = `Usage: node dist/src/cli/seed.js [--help]

Runs every seed in db/seeds (in name order) against DATABASE_URL, as \`npm run db:seed\` does in
development. Seeds are idempotent: running this again changes nothing that is already there.
Migrate first (node dist/src/cli/migrate.js).

  --help   show this text`

readCommandLine({}, HELP)

await withDatabase(async (connection) => {
  const ran = await runSeeds(connection.db)
  for (const name of ran) console.log(`✓ ${name}`)
  console.log(ran.length === 0 ? `No seeds found in ${SEEDS_FOLDER}.` : `${ran.length} seed(s) run.`)
}, {
  what: 'Seeding',
  nextStep: 'Check that the database is migrated (node dist/src/cli/migrate.js) and the settings above, then run it again.'
})
