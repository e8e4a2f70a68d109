import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { ROOT } from '../support/database.js'

const run = promisify(execFile)
const COMPILED = path.join(ROOT, 'dist/src/cli/seed.js')

// The compiled seed (Render's seed job, the image's first start) finds the sample data in db/seeds,
// which the build does not copy into dist. .ci/run builds before the suite.
t.test('the compiled seed loads the sample campaigns', { skip: existsSync(COMPILED) ? false : 'no dist/: run npm run build first' }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'compiled-seed-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const env = { ...process.env, DATABASE_URL: '', TESTING: '', PGLITE_DATA_DIR: path.join(dir, 'pglite'), LOG_LEVEL: 'silent' }
  await run(process.execPath, ['dist/src/cli/migrate.js'], { cwd: ROOT, env })
  const { stdout, stderr } = await run(process.execPath, ['dist/src/cli/seed.js'], { cwd: ROOT, env, timeout: 120_000 })
  t.notMatch(stderr, /not seeded/)
  t.match(stdout, /\d+ campaign\(s\) accepted, 0 rejected; committed\./)
})
