import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { listOperations, ResponseValidator, type OpenApiDocument, type Operation } from './openapi.js'
import { fuzzCase, toInject, type FuzzCase, type PathHints } from './fuzz-request.js'

export const ROUTE_HEADER = 'x-fuzz-route'

/**
 * Tags every answer with the route that produced it, so it is judged against that operation
 * (a generated path can land on a sibling route or on the router's 404). Call before ready().
 */
export function tagAnsweringRoute (app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header(ROUTE_HEADER, request.routeOptions.url ?? '')
  })
}

export type FuzzContext = {
  app: FastifyInstance
  validator: ResponseValidator
  byRoute: Map<string, Operation>
  operations: Operation[]
  token: string
  hints: PathHints
}

export function fuzzContext (app: FastifyInstance, token: string, hints: PathHints): FuzzContext {
  const doc = app.swagger() as unknown as OpenApiDocument
  const operations = listOperations(doc)
  return { app, validator: new ResponseValidator(doc), byRoute: new Map(operations.map((op) => [`${op.method} ${op.route}`, op])), operations, token, hints }
}

export type FuzzOutcome = {
  details: fc.RunDetails<[FuzzCase]>
  cases: number
  valid: number
  statuses: Map<number, number>
  /** Schema-valid cases sent with valid credentials, with the status each got (the generator's own check). */
  validAnswers: Array<{ status: number, detail?: string }>
  summary: string
}

/** Sends `runs` generated requests to one operation; the property fails on the first contract breach. */
export async function fuzzOperation (ctx: FuzzContext, op: Operation, options: { runs: number, seed: number }): Promise<FuzzOutcome> {
  const statuses = new Map<number, number>()
  const validAnswers: FuzzOutcome['validAnswers'] = []
  let cases = 0
  let valid = 0
  const property = fc.asyncProperty(fuzzCase(op, ctx.hints), async (c) => {
    cases++
    const response = await ctx.app.inject(toInject(op, c, ctx.token))
    if (c.valid) {
      valid++
      if (c.credentials === 'valid') {
        validAnswers.push(response.statusCode < 300 ? { status: response.statusCode } : { status: response.statusCode, detail: `${response.body.slice(0, 300)} <- ${JSON.stringify(c).slice(0, 600)}` })
      }
    }
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
    const findings = judge(ctx, op, c, response)
    if (findings.length > 0) throw new Error(findings.join('\n'))
  })
  const started = Date.now()
  const details = await fc.check(property, { seed: options.seed, numRuns: options.runs })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const spread = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}:${n}`).join(' ')
  return { details, cases, valid, statuses, validAnswers, summary: `fuzz ${op.label}: ${cases} cases (${valid} schema-valid) in ${seconds} s, statuses ${spread}` }
}

/** What is wrong with an answer: a 5xx, an undeclared status, a body off its schema, a 4xx that is no problem document, a secured 2xx without credentials. */
export function judge (ctx: Pick<FuzzContext, 'validator' | 'byRoute'>, op: Operation, c: Pick<FuzzCase, 'credentials'>, response: LightMyRequestResponse): string[] {
  const findings: string[] = []
  const status = response.statusCode
  const contentType = response.headers['content-type'] as string | undefined
  if (status >= 500) findings.push(`answered ${status}: ${response.body.slice(0, 300)}`)
  const route = response.headers[ROUTE_HEADER] as string | undefined
  const answering = route ? ctx.byRoute.get(`${op.method} ${route}`) : undefined
  if (op.method !== 'HEAD') {
    const check = answering
      ? ctx.validator.check(answering.responses, answering.label, status, contentType, response.body)
      // No documented operation answered (the router's 404, or a hidden route): it must still be a problem.
      : ctx.validator.problem(status, contentType, response.body)
    if (!check.ok) findings.push(`${answering?.label ?? `unrouted (${route || 'no route'})`}: ${check.reason}`)
    if (status >= 400 && status < 500) {
      if (!/^application\/problem\+json/.test(contentType ?? '')) findings.push(`${status} is not application/problem+json but ${contentType}`)
      const problem = ctx.validator.problem(status, contentType, response.body)
      if (!problem.ok) findings.push(`${status} is not a problem document: ${problem.reason}`)
    }
  }
  if (op.secured && c.credentials !== 'valid' && status < 300) findings.push(`answered ${status} without valid credentials (${c.credentials})`)
  return findings
}

/** The tap diagnostic for a failed run: the shrunk request and what was wrong with its answer. */
export function failureDiagnostic (outcome: FuzzOutcome, seed: number): Record<string, unknown> {
  const { details } = outcome
  if (!details.failed) return {}
  return {
    finding: String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance),
    counterexample: JSON.stringify(details.counterexample)?.slice(0, 2000),
    seed,
    replay: `FUZZ_SEED=${seed} (counterexample path ${details.counterexamplePath})`
  }
}
