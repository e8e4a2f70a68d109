import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import type { Config } from '../config.js'
import { HttpProblem } from '../errors.js'
import { KeyedSemaphore, SaturatedError, Semaphore } from '../limits/semaphore.js'

/** Runs `task` within a share; refuses at once (a problem with Retry-After) when the share is taken. */
export type Share = <T>(companyId: number, task: () => Promise<T>) => Promise<T>
/** Like Share, on ONE connection of the read pool, so a share of requests is a share of connections. */
export type ReadShare = <T>(companyId: number, task: (db: Kysely<Database>) => Promise<T>) => Promise<T>

declare module 'fastify' {
  interface FastifyInstance {
    /** Each tenant's share of this instance's database and CPU, so one tenant's burst costs others a bounded slowdown. */
    fairShare: { heavyRead: ReadShare, importRun: Share }
  }
}

const HEAVY_RETRY_AFTER_S = 2
const IMPORT_RETRY_AFTER_S = 10

function refuse (status: 429 | 503, detail: string, retryAfter: number) {
  return (error: unknown) => {
    if (error instanceof SaturatedError) throw new HttpProblem(status, detail, { headers: { 'retry-after': String(retryAfter) } })
    throw error
  }
}

/**
 * In-process semaphores, per instance (several instances each keep their own share):
 * - heavy reads: HEAVY_CONCURRENCY_PER_COMPANY run per company, HEAVY_QUEUE_PER_COMPANY wait, more get 429;
 *   each runs its queries on one connection (the overview's four would otherwise take four), so
 *   one company's heavy reads hold at most HEAVY_CONCURRENCY_PER_COMPANY connections;
 * - imports: one per company (a second gets 429: imports into one company run one after another
 *   anyway) and IMPORT_CONCURRENCY in all (more get 503), taken before the upload is read, so a
 *   refused import costs neither a pool connection nor disk.
 */
async function fairSharePlugin (app: FastifyInstance, { config }: { config: Config }) {
  const heavy = new KeyedSemaphore(config.HEAVY_CONCURRENCY_PER_COMPANY, config.HEAVY_QUEUE_PER_COMPANY)
  const importsPerCompany = new KeyedSemaphore(1, 0)
  const imports = new Semaphore(config.IMPORT_CONCURRENCY, 0)

  const heavyRead: ReadShare = (companyId, task) => heavy.run(companyId, () => app.readDb.connection().execute(task)).catch(refuse(429,
    `Your company has ${config.HEAVY_CONCURRENCY_PER_COMPANY + config.HEAVY_QUEUE_PER_COMPANY} heavy requests (overview, summaries) in progress: retry in ${HEAVY_RETRY_AFTER_S} s.`, HEAVY_RETRY_AFTER_S))

  const importRun: Share = (companyId, task) => importsPerCompany.run(companyId, () =>
    imports.run(task).catch(refuse(503, `The server is running its share of imports (${config.IMPORT_CONCURRENCY}): retry in ${IMPORT_RETRY_AFTER_S} s.`, IMPORT_RETRY_AFTER_S))
  ).catch(refuse(429, `An import into your company is in progress: retry when it has finished (in ${IMPORT_RETRY_AFTER_S} s or later).`, IMPORT_RETRY_AFTER_S))

  app.decorate('fairShare', { heavyRead, importRun })
}

export default fp(fairSharePlugin, { name: 'fair-share', fastify: '5.x' })
