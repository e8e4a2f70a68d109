// First: on a Node.js older than the supported range, the first line said is which one is needed.
import './node-version.js'
import { Server as NetServer } from 'node:net'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout } from 'node:timers/promises'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadProcessConfig, type Config } from './config.js'
import { EmbeddedDatabaseLockedError } from './db/engine.js'
import { MigrationError } from './db/migrator.js'
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD } from './modules/auth/default-owner.js'
import { isDatabaseUnavailable } from './plugins/errors.js'

function loadConfigOrExit (): Config {
  try {
    return loadProcessConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`${error.message}\nThe service did not start. Fix the settings above (see the configuration table in README.md).`)
    process.exit(1)
  }
}

const config = loadConfigOrExit()
const app = await buildApp(config).catch((error: unknown) => {
  if (error instanceof EmbeddedDatabaseLockedError) {
    console.error(`${error.message}\nThe service did not start.`)
    process.exit(1)
  }
  // Start-up work that needs the database (MIGRATE_ON_START, the embedded database's migrations
  // and seed) failing: one line saying what and what to do, not an uncaught stack trace.
  if (error instanceof MigrationError || isDatabaseUnavailable(error as Error)) {
    console.error(`${(error as Error).message}\nThe service did not start: check DATABASE_URL and that the database is reachable, or start without MIGRATE_ON_START and migrate separately (node dist/src/cli/migrate.js).`)
    process.exit(1)
  }
  throw error
})

if (!config.secretKeyFromEnv) app.log.warn('SECRET_KEY is not set: using a random key, so tokens will not survive a restart (fine for development)')

// Shutdown, measured in test/stress/shutdown.test.ts: Node's http server.close() also destroys
// keep-alive connections idle at that instant, and a client may just have sent its next request on
// one (30 of 32 keep-alive clients got ECONNRESET). So first stop listening with net.Server's own
// close (new connections are refused: safe to retry) and answer requests on open connections with
// "Connection: close" until they have all closed or SHUTDOWN_DRAIN_MS has passed; then app.close().
let draining = false
// Done-style: every response passes here, and an async hook costs a promise and a microtask.
app.addHook('onSend', (_request, reply, payload, done) => {
  if (draining) reply.header('connection', 'close')
  done(null, payload)
})

async function drain (server: Server, limitMs: number): Promise<void> {
  draining = true
  NetServer.prototype.close.call(server)
  const deadline = Date.now() + limitMs
  const open = () => new Promise<number>((resolve) => server.getConnections((_error, count) => resolve(count ?? 0)))
  while (Date.now() < deadline && await open() > 0) await setTimeout(25)
}

// SIGTERM/SIGINT: stop accepting, drain keep-alive connections, let in-flight requests finish, close the pool (onClose), exit 0.
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error')
  else app.log.info({ signal, drainMs: config.SHUTDOWN_DRAIN_MS }, 'shutting down')
  if (!err && app.server.listening) await drain(app.server, config.SHUTDOWN_DRAIN_MS)
  await app.close()
})

try {
  await app.listen({ host: config.HOST, port: config.PORT })
} catch (error) {
  app.log.fatal({ err: error }, 'could not listen')
  await app.close()
  process.exit(1)
}

// Where a newcomer goes next: the interactive documentation, and the login the seed created.
if (config.ENV === 'development') {
  const { port } = app.server.address() as AddressInfo
  const host = ['0.0.0.0', '::'].includes(config.HOST) ? 'localhost' : config.HOST
  const login = `${config.ADMIN_EMAIL ?? DEV_ADMIN_EMAIL} / ${config.ADMIN_PASSWORD === undefined ? DEV_ADMIN_PASSWORD : '(your ADMIN_PASSWORD)'}`
  app.log.info(`API documentation: http://${host.includes(':') ? `[${host}]` : host}:${port}/docs (development login: ${login})`)
}
