import fp from 'fastify-plugin'
import { setTimeout as delay } from 'node:timers/promises'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { decodeRevocation, recentRevocations, registerRevocationList, RevocationList, REVOCATION_CHANNEL } from '../modules/auth/access-revocation.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Per user, the access tokens ended by a logout, password change or deactivation (read by authenticate). */
    tokenRevocations: RevocationList
  }
}

const RECONNECT_MS = 1_000
const PRUNE_MS = 60_000

/**
 * Revocation of access tokens, kept in memory on each instance. This instance applies its own
 * revocations after their commit; the others hear them through PostgreSQL LISTEN/NOTIFY on a
 * connection of their own (so every instance sharing the database, whatever else it shares; no
 * Redis needed). At start, and after that connection was lost, the revocations of the last
 * token lifetime are read back from users.tokens_valid_after, so none missed while deaf stays missed.
 * PGlite serves one instance (one process holds its directory): nothing to listen to.
 */
async function tokenRevocationPlugin (app: FastifyInstance, { config }: { config: Config }) {
  const lifetimeMs = config.ACCESS_TOKEN_EXPIRE_MINUTES * 60_000
  const list = new RevocationList(lifetimeMs)
  registerRevocationList(app.db, list)
  app.decorate('tokenRevocations', list)

  const reload = async () => { for (const revocation of await recentRevocations(app.db, lifetimeMs)) list.apply(revocation) }
  let closing = false
  let listener: pg.Client | undefined
  let retry: NodeJS.Timeout | undefined

  async function listen (): Promise<void> {
    // The pool's own settings, so it reaches the database the app really uses (tests pass a connection of their own).
    const { connectionString, host, port, user, password, database, ssl } = app.database.pool.options
    const client = new pg.Client({ connectionString, host, port, user, password, database, ssl, application_name: 'campaign-analytics-api:revocations' })
    listener = client
    client.on('notification', (message) => {
      const revocation = decodeRevocation(message.payload)
      if (message.channel === REVOCATION_CHANNEL && revocation) list.apply(revocation)
    })
    // 'end' follows; without a listener an 'error' would crash the process.
    client.on('error', (error) => app.log.warn({ err: error }, 'access-token revocations: LISTEN connection failed'))
    try {
      await client.connect()
      await client.query(`listen ${REVOCATION_CHANNEL}`)
    } catch (error) {
      await client.end().catch(() => {})
      throw error
    }
    // A lost connection (server restart, failover): listen again, and read back what was missed meanwhile.
    client.once('end', () => { if (!closing) relisten() })
    await reload()
  }
  function keepListening () {
    listen().catch((error: Error) => {
      if (closing) return
      app.log.warn({ err: error }, 'access-token revocations: cannot LISTEN, retrying')
      relisten()
    })
  }
  function relisten () {
    retry = setTimeout(keepListening, RECONNECT_MS)
  }

  // Read once before serving, so an instance started after a revocation refuses its tokens at once;
  // bounded and not fatal: a database that is down or hangs must not keep the app from starting
  // (it answers 503 meanwhile). The LISTEN is not awaited; it reads revocations back once it holds.
  await Promise.race([reload(), delay(config.DB_CONNECTION_TIMEOUT_MS)])
    .catch((error: Error) => app.log.warn({ err: error }, 'access-token revocations: cannot read them yet, retrying'))
  if (app.database.engine === 'postgres') keepListening()

  const prune = setInterval(() => list.prune(), PRUNE_MS).unref()
  app.addHook('onClose', async () => {
    closing = true
    clearInterval(prune)
    clearTimeout(retry)
    // Bounded: ending a connection to a server that hangs waits for an answer that never comes.
    await Promise.race([listener?.end().catch(() => {}), delay(1_000)])
  })
}

export default fp(tokenRevocationPlugin, { name: 'token-revocation', fastify: '5.x', dependencies: ['database'] })
