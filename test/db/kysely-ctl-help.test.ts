import { spawnSync } from 'node:child_process'
import path from 'node:path'
import t from 'tap'
import { ROOT } from '../support/database.js'

// npm run db:migrate, db:rollback and db:seed go through src/cli/kysely-ctl.ts: the project's own
// --help (what runs, on which database), then kysely-ctl itself, without its upgrade banner.
function run (args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/kysely-ctl.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 120_000
  })
}

t.test('--help says what the command does and which settings it reads', async (t) => {
  for (const [command, usage] of [['migrate:latest', 'npm run db:migrate'], ['migrate:down', 'npm run db:rollback'], ['seed:run', 'npm run db:seed']]) {
    const help = run([command, '--help'])
    t.equal(help.status, 0, `${usage} --help`)
    t.match(help.stdout, `Usage: ${usage}`)
    t.match(help.stdout, /DATABASE_URL[\s\S]*PGLITE_DATA_DIR, default \.\/\.data\/pglite/, `${usage}: the settings and the embedded default`)
  }
})

t.test('without --help it is kysely-ctl: a server that does not answer is one line, exit 1, no upgrade banner', async (t) => {
  const result = run(['migrate:latest'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', DB_CONNECTION_TIMEOUT_MS: '2000' })
  t.equal(result.status, 1)
  t.match(result.stderr, /Migration failed: connect ECONNREFUSED 127\.0\.0\.1:1/)
  t.notMatch(result.stdout + result.stderr, /update available|new version/i, 'no upgrade banner')
})

t.test('an unknown command is refused', async (t) => {
  const result = run(['migrate:everything'])
  t.equal(result.status, 1)
  t.match(result.stderr, /Unknown command "migrate:everything"/)
})
