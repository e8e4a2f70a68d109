import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { connectDatabase, EmbeddedDatabaseLockedError, type DatabaseOptions } from '../../src/db/engine.js'
import { ROOT } from '../support/database.js'

// PGlite has no lock of its own, and two processes writing one data directory corrupt it: these
// open a directory of their own, whatever engine the rest of the suite runs on.
const run = promisify(execFile)
const embedded = (dir: string): DatabaseOptions => ({
  DATABASE_URL: undefined, TESTING: false, PGLITE_DATA_DIR: dir, DB_POOL_MAX: 1, DB_CONNECTION_TIMEOUT_MS: 5000, DB_STATEMENT_TIMEOUT_MS: 0
})

t.test('a second opener of the directory is refused, saying what to do, until the first closes', async (t) => {
  const dir = path.join(t.testdir(), 'pglite')
  const first = await connectDatabase(embedded(dir))
  await first.pool.query('create table kept (value text)')
  await first.pool.query("insert into kept values ('written by the first')")

  const refused = await connectDatabase(embedded(dir)).then(() => undefined, (error: Error) => error)
  t.type(refused, EmbeddedDatabaseLockedError)
  t.match(refused?.message, `The embedded database in ${dir} is in use by another process`)
  t.match(refused?.message, /Stop that process, or use another PGLITE_DATA_DIR, or PostgreSQL with DATABASE_URL/)
  t.match(refused?.message, `rm -r ${dir}.lock`)

  await first.close()
  const next = await connectDatabase(embedded(dir))
  t.teardown(() => next.close())
  const { rows } = await next.pool.query('select value from kept')
  t.same(rows, [{ value: 'written by the first' }])
})

t.test('a command pointed at a directory another process holds fails with exit 1 and changes nothing', async (t) => {
  const dir = path.join(t.testdir(), 'pglite')
  const env = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', TESTING: '', PGLITE_DATA_DIR: dir }
  const migrate = () => run(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts'], { cwd: ROOT, env, timeout: 90_000 })
    .then(({ stdout }) => ({ code: 0, stdout, stderr: '' }), (error: { code: number, stdout: string, stderr: string }) => error)

  const holder = await connectDatabase(embedded(dir))
  const refused = await migrate()
  t.equal(refused.code, 1)
  t.match(refused.stderr, /Migration failed: The embedded database in .* is in use by another process/)
  t.notMatch(refused.stderr, /fix the cause|check DATABASE_URL/, 'the lock message is the advice: nothing about migrations or servers after it')
  const { rows } = await holder.pool.query("select count(*)::integer as tables from pg_tables where schemaname = 'public'")
  t.same(rows, [{ tables: 0 }], 'the refused command created nothing')

  await holder.close()
  const applied = await migrate()
  t.equal(applied.code, 0, applied.stderr)
  t.match(applied.stdout, /migration\(s\) applied/)
})

t.test('a second server on the directory exits 1 with the message, not a stack trace', async (t) => {
  const dir = path.join(t.testdir(), 'pglite')
  const holder = await connectDatabase(embedded(dir))
  t.teardown(() => holder.close())
  const env = { PATH: process.env.PATH, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', PGLITE_DATA_DIR: dir }
  const failed = await run(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, timeout: 90_000 })
    .then(() => ({ code: 0, stderr: '' }), (error: { code: number, stderr: string }) => error)
  t.equal(failed.code, 1)
  t.match(failed.stderr, `The embedded database in ${dir} is in use by another process`)
  t.match(failed.stderr, /The service did not start\./)
  t.notMatch(failed.stderr, /\n\s+at /, 'no stack trace')
})

t.test('a process stopped by a signal releases the directory', async (t) => {
  const dir = path.join(t.testdir(), 'pglite')
  const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
    import { connectDatabase } from './src/db/engine.ts'
    await connectDatabase(${JSON.stringify(embedded(dir))})
    console.log('holding')
    setInterval(() => {}, 1000)`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = await once(holder.stdout!, 'data') as [Buffer]
  t.equal(line.toString().trim(), 'holding')
  t.type(await connectDatabase(embedded(dir)).catch((error: Error) => error), EmbeddedDatabaseLockedError)

  holder.kill('SIGTERM')
  await once(holder, 'exit')
  const after = await connectDatabase(embedded(dir))
  t.teardown(() => after.close())
  t.ok(after.pglite, 'opened once the holder was gone')
})
