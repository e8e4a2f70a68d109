import t from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { ROOT, TEST_DATABASE_URL } from './support/database.js'

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

function startServer (env: Record<string, string>, [command, ...args]: string[] = [process.execPath, '--import', 'tsx', 'src/server.ts']) {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk) => { output += chunk })
  child.stderr.on('data', (chunk) => { output += chunk })
  return { child, output: () => output }
}

for (const [how, command] of [['the server', undefined], ['`npm start`, signalled through npm (as a supervisor or `kill %1` does)', ['npm', 'start', '--silent']]] as const) {
  t.test(`${how} listens, then on SIGTERM closes and exits 0`, async (t) => {
    const port = await freePort()
    // The suite's PostgreSQL when there is one; otherwise a new in-memory PGlite (initdb: slow on a busy machine).
    const database: Record<string, string> = TEST_DATABASE_URL ? { DATABASE_URL: TEST_DATABASE_URL } : {}
    const { child, output } = startServer({ TESTING: '1', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...database }, command && [...command])
    t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })

    let live = false
    for (let i = 0; i < 360 && !live; i++) {
      live = await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.ok, () => false)
      if (!live) await new Promise((resolve) => setTimeout(resolve, 250))
    }
    t.ok(live, 'answers /health/live')
    const health = await fetch(`http://127.0.0.1:${port}/health`)
    t.equal(health.status, 200, 'the embedded database answers')

    const exited = once(child, 'exit')
    const signalled = Date.now()
    child.kill('SIGTERM')
    const [code] = await exited
    // npm's own exit status on a signal is its business; the server's is 0 and it logs its shutdown.
    if (!command) t.equal(code, 0, 'exit code 0')
    t.ok(Date.now() - signalled < 10_000, `exited ${Date.now() - signalled} ms after SIGTERM`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    t.match(output(), /shutting down[\s\S]*database pool closed/, 'the server itself shut down')
    t.match(output(), `API documentation: http://127.0.0.1:${port}/docs (development login: admin@example.com / dev-only-admin-password)`, 'it said where to go next')
    await t.rejects(fetch(`http://127.0.0.1:${port}/health/live`), 'no longer accepts connections')
  })
}

t.test('ENV=production without secrets refuses to start, naming each missing setting', async (t) => {
  const { child, output } = startServer({ ENV: 'production' })
  const [code] = await once(child, 'exit')
  t.not(code, 0)
  for (const name of ['SECRET_KEY', 'FRONTEND_ORIGINS', 'DATABASE_URL']) t.match(output(), name)
})

t.test('MIGRATE_ON_START with an unreachable database refuses to start in one clear message, not a stack trace', async (t) => {
  const { child, output } = startServer({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', MIGRATE_ON_START: '1', DB_CONNECTION_TIMEOUT_MS: '500', PORT: String(await freePort())
  })
  const [code] = await once(child, 'exit')
  t.equal(code, 1)
  t.match(output(), /The service did not start: check DATABASE_URL/)
  t.notMatch(output(), /\n\s+at /, 'no stack trace')
})
