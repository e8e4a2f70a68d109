import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { NO_SECURITY } from '../../../schemas/common.js'
import { HealthStatus } from '../../../schemas/health.js'

/** Resolves false when the database (and its read replica, if any) does not answer within `timeoutMs`: health never hangs. */
async function databaseAnswers (app: FastifyInstance, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(resolve, timeoutMs, false) })
  const answers = (db: typeof app.db) => sql`select 1`.execute(db).then(() => true, () => false)
  const query = Promise.all([answers(app.db), app.readDb === app.db || answers(app.readDb)]).then((all) => all.every(Boolean))
  try {
    return await Promise.race([query, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export default async function healthRoutes (fastify: FastifyInstance, { timeoutMs }: { timeoutMs: number }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/health', {
    schema: {
      tags: ['health'],
      security: NO_SECURITY,
      summary: 'Readiness: the database answers',
      response: { 200: { ...HealthStatus, description: 'The database answers' }, 503: { ...HealthStatus, description: 'The database does not answer in time, or the process is closing' } }
    }
  }, async (_request, reply) => {
    const ok = await databaseAnswers(fastify, timeoutMs)
    return reply.code(ok ? 200 : 503).header('cache-control', 'no-store').send({ status: ok ? 'ok' : 'unhealthy' })
  })

  app.get('/health/live', {
    schema: { tags: ['health'], security: NO_SECURITY, summary: 'Liveness: the process answers (no database access)', response: { 200: { ...HealthStatus, description: 'The process serves requests' } } }
  }, async () => ({ status: 'ok' as const }))
}
