import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { Database } from '../../../src/db/schema.js'
import { uniqueName } from '../../helper.js'
import type { OpenApiDocument } from './openapi.js'
import { deref } from './openapi.js'
import { validValue } from './schema-arbitrary.js'
import { sleep } from './load.js'

/**
 * Writes a company and its user in one transaction, over and over, recording the ones whose
 * commit was acknowledged. After the outage each must be present, and each company must have its user.
 */
export function acknowledgedWriter (db: Kysely<Database>, prefix: string) {
  const acknowledged: string[] = []
  let failed = 0
  const state = { running: true }
  let i = 0
  const loop = (async () => {
    while (state.running) {
      const name = `${prefix}-${i++}`
      try {
        await db.transaction().execute(async (trx) => {
          const company = await trx.insertInto('companies').values({ name }).returning('id').executeTakeFirstOrThrow()
          await trx.insertInto('users').values({ company_id: company.id, email: `${name}@example.com`, password_hash: 'x', role: 'owner' }).execute()
        })
        acknowledged.push(name)
      } catch {
        failed++
        await sleep(50)
      }
    }
  })()
  return {
    async stop () {
      state.running = false
      await loop
      return { acknowledged, failed }
    }
  }
}

/**
 * Registers `count` accounts through POST /auth/register when the document has it, with a body
 * built from its schema; returns the emails the API acknowledged (2xx).
 */
export async function registerThroughApi (app: FastifyInstance, doc: OpenApiDocument, count: number): Promise<string[]> {
  const operation = doc.paths['/v2/auth/register']?.post
  const schema = operation?.requestBody?.content?.['application/json']?.schema
  if (!schema) return []
  const resolved = deref(schema, doc)
  const emails: string[] = []
  for (let i = 0; i < count; i++) {
    const [base] = fc.sample(validValue(resolved), { seed: i, numRuns: 1 }) as Array<Record<string, unknown>>
    const body: Record<string, unknown> = { ...base }
    const email = `${uniqueName('outage-register')}@example.com`.toLowerCase()
    for (const [key, property] of Object.entries<Record<string, unknown>>(resolved.properties ?? {})) {
      if (/email/i.test(key)) body[key] = email
      else if (/password/i.test(key)) body[key] = 'Correct-Horse-Battery-9-Staple'
      else if (property.type === 'string' && !property.enum && !property.format) body[key] = uniqueName('outage-company')
    }
    const response = await app.inject({ method: 'POST', url: '/v2/auth/register', payload: body })
    if (response.statusCode >= 300) throw new Error(`registering before the outage failed: ${response.statusCode} ${response.body}`)
    emails.push(email)
  }
  return emails
}
