import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { ROOT } from './support/database.js'

const run = promisify(execFile)
const work = await mkdtemp(path.join(tmpdir(), 'commands-'))
t.teardown(() => rm(work, { recursive: true, force: true }))

// The commands run on an embedded database of their own, as a developer's shell would (DATABASE_URL unset).
const baseEnv = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', TESTING: '', TEST_DATABASE_URL: '' }

async function cli (script: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { ...baseEnv, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number, stdout: string, stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

const STACK = /^\s+at .+:\d+:\d+\)?/m

t.test('seed on an unmigrated embedded database says to run the migrations, exit 1, no stack trace', async (t) => {
  const result = await cli('src/cli/seed.ts', [], { PGLITE_DATA_DIR: path.join(work, 'unmigrated-seed') })
  t.equal(result.code, 1)
  t.match(result.stderr, /run `npm run db:migrate`/, 'names the next step', { stdout: result.stdout, stderr: result.stderr.slice(0, 2000) })
  t.notMatch(result.stderr, /node_modules|TypeError/, 'no crash dump of the embedded engine')
  t.notMatch(result.stderr, STACK, 'no stack trace')
})

t.test('tokens cleanup refuses an empty --older-than-days (exit 2) instead of deleting with a 0-day grace period', async (t) => {
  const dir = path.join(work, 'migrated-cleanup')
  const migrated = await cli('src/cli/migrate.ts', [], { PGLITE_DATA_DIR: dir })
  t.equal(migrated.code, 0, migrated.stderr)
  const result = await cli('src/cli/cleanup-refresh-tokens.ts', ['--older-than-days', ''], { PGLITE_DATA_DIR: dir })
  t.equal(result.code, 2, 'bad argument exit status')
  t.match(result.stderr, /--older-than-days/)
  t.notMatch(result.stdout, /Deleted \d+ tokens/, 'nothing deleted')
})

t.test('generate-sample-data with --out naming an existing file gives a clear error, exit 1, no stack trace', async (t) => {
  const file = path.join(work, 'a-file')
  await writeFile(file, 'x')
  const result = await cli('scripts/generate-sample-data.ts', ['--out', file])
  t.equal(result.code, 1)
  t.match(result.stderr, /--out/, 'names the option')
  t.notMatch(result.stderr, STACK, 'no stack trace')
})

t.test('bench:import with a --dir that does not hold the exports gives a clear error, exit 1, no stack trace', async (t) => {
  // Its documented default: a throwaway bench_import_* database on the local server, dropped at the end.
  const result = await cli('scripts/bench-import.ts', ['--dir', path.join(work, 'nowhere')])
  t.equal(result.code, 1)
  t.match(result.stderr, /nowhere/)
  t.notMatch(result.stderr, STACK, 'no stack trace')
})

const UNREACHABLE = 'postgres://postgres@127.0.0.1:1'

for (const [command, script, args] of [
  ['bench:import', 'scripts/bench-import.ts', ['--dir', path.join(ROOT, 'db/sample-data'), '--database-url', `${UNREACHABLE}/none`]],
  ['bench', 'scripts/bench-api.ts', ['--campaigns', '10', '--server', UNREACHABLE]],
  ['soak', 'scripts/soak.ts', ['--duration', '5', '--admin-url', `${UNREACHABLE}/postgres`]]
] as const) {
  t.test(`${command} with an unreachable server says so in one line, exit 1, no stack trace`, async (t) => {
    const result = await cli(script, [...args])
    t.equal(result.code, 1)
    t.match(result.stderr, /connect ECONNREFUSED 127\.0\.0\.1:1/)
    t.notMatch(result.stderr, STACK, 'no stack trace')
  })
}

for (const [command, script, args, message] of [
  ['bench', 'scripts/bench-api.ts', ['--campaigns', 'abc', '--server', UNREACHABLE], /--campaigns must be an integer >= 1, got "abc"/],
  ['soak', 'scripts/soak.ts', ['--duration', 'abc', '--admin-url', `${UNREACHABLE}/postgres`], /--duration must be an integer >= 1, got "abc"/]
] as const) {
  t.test(`${command} refuses a non-numeric option before contacting any server`, async (t) => {
    const result = await cli(script, [...args])
    t.equal(result.code, 1)
    t.match(result.stderr, message, 'names the option and the value')
    t.notMatch(result.stderr, /ECONNREFUSED/, 'no server was contacted')
    t.notMatch(result.stderr, STACK, 'no stack trace')
  })
}
