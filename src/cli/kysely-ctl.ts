// `npm run db:migrate`, `db:rollback` and `db:seed`: kysely-ctl with the project's kysely.config.ts,
// without its upgrade banner (a registry query), and with the project's own --help.
import '../node-version.js'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SETTINGS = `The database: DATABASE_URL (PostgreSQL, postgres:// or postgresql://) when it is set; otherwise
the embedded PostgreSQL (PGlite) in PGLITE_DATA_DIR, default ./.data/pglite, the one npm start uses.
Stop the server first: a directory it holds is refused. A .env file fills unset variables outside
production. Settings are checked, and the server must answer, before anything changes.
Exit status 0 done, 1 failed (one line says what to do).`

const COMMANDS: Record<string, { usage: string, what: string }> = {
  'migrate:latest': { usage: 'npm run db:migrate', what: 'Applies every pending migration in db/migrations, in name order (the server does the same at\nstart-up on the embedded database, and on PostgreSQL with MIGRATE_ON_START=1).' },
  'migrate:down': { usage: 'npm run db:rollback', what: 'Undoes the most recent migration.' },
  'seed:run': { usage: 'npm run db:seed', what: 'Runs every seed in db/seeds: the default company\'s owner (ADMIN_EMAIL / ADMIN_PASSWORD, development\ndefaults admin@example.com / dev-only-admin-password) and, outside production, the sample campaigns\nof db/sample-data. Seeds are idempotent; every migration must have run first.' }
}

const [command, ...args] = process.argv.slice(2)
const known = COMMANDS[command]
if (!known) {
  console.error(`Unknown command "${command ?? ''}": one of ${Object.keys(COMMANDS).join(', ')}.`)
  process.exit(1)
}
if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: ${known.usage}\n\n${known.what}\n\n${SETTINGS}\n\nOther kysely-ctl commands: npx kysely --help (add --no-outdated-check).`)
  process.exit(0)
}
const kysely = fileURLToPath(new URL('../../node_modules/.bin/kysely', import.meta.url))
const result = spawnSync(kysely, [command, ...args, '--no-outdated-check'], { stdio: 'inherit' })
process.exit(result.status ?? 1)
