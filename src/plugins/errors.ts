import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PROBLEM_CONTENT_TYPE, type ProblemDocument } from '../../schemas/common.js'
import { HttpProblem, statusTitle, type FieldError } from '../errors.js'

const PROBLEM_TYPE_BASE = 'urn:problem-type:'

type AjvError = { instancePath: string, message?: string, params: Record<string, unknown>, keyword: string }

// A problem document (and the log line quoting it) stays a few kilobytes whatever the request held:
// field names and paths come from the client, and a body can make many errors (src/validators.ts).
export const MAX_REPORTED_ERRORS = 10
const MAX_FIELD_CHARS = 120
const MAX_MESSAGE_CHARS = 200
const MAX_DETAIL_CHARS = 1500
const MAX_INSTANCE_CHARS = 500

/** `text` cut to `max` characters, marked with an ellipsis when cut. */
export function bounded (text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

function validationErrors (error: FastifyError): FieldError[] {
  const context = error.validationContext ?? 'request'
  return (error.validation as AjvError[] ?? []).slice(0, MAX_REPORTED_ERRORS).map((issue) => {
    const path = issue.instancePath.split('/').filter(Boolean)
    if (typeof issue.params.missingProperty === 'string') path.push(issue.params.missingProperty)
    if (typeof issue.params.additionalProperty === 'string') {
      path.push(issue.params.additionalProperty)
      return { field: bounded([context, ...path].join('.'), MAX_FIELD_CHARS), message: 'is not a known field' }
    }
    const allowed = Array.isArray(issue.params.allowedValues) ? `: one of ${issue.params.allowedValues.join(', ')}` : ''
    return { field: bounded([context, ...path].join('.'), MAX_FIELD_CHARS), message: bounded(`${issue.message ?? 'is invalid'}${allowed}`, MAX_MESSAGE_CHARS) }
  })
}

function validationDetail (error: FastifyError, errors: FieldError[]): string {
  const more = (error.validation?.length ?? 0) - errors.length
  return `Invalid ${error.validationContext ?? 'request'}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}${more > 0 ? ` (and ${more} more)` : ''}`
}

// Connection-level failures of PostgreSQL (or of the pool reaching it): the service is degraded, not broken.
// 3D000: the database itself is gone (dropped or renamed under the pool).
const UNAVAILABLE_CODES = new Set(['3D000', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006'])
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|connection is insufficient|Cannot use a pool after calling end|Client was closed and is not queryable|driver has already been destroyed/i

export function isDatabaseUnavailable (error: { code?: string, message?: string }): boolean {
  return (error.code !== undefined && UNAVAILABLE_CODES.has(error.code)) || UNAVAILABLE_MESSAGES.test(error.message ?? '')
}

/** Maps an error to status, detail and extras; anything unrecognised is a 500 whose detail hides internals. */
function classify (error: FastifyError & { code?: string }): { status: number, detail: string, type?: string, errors?: FieldError[], headers?: Record<string, string> } {
  if (error instanceof HttpProblem) return { status: error.statusCode, detail: error.detail, ...error.options }
  if (error.validation) {
    const errors = validationErrors(error)
    return { status: 400, type: `${PROBLEM_TYPE_BASE}validation-error`, detail: validationDetail(error, errors), errors }
  }
  if (isDatabaseUnavailable(error)) return { status: 503, detail: 'The database is unavailable. Retry in a few seconds.', headers: { 'retry-after': '5' } }
  if (error.code === '57014') return { status: 503, detail: 'The query took too long and was cancelled. Narrow the request or retry later.', headers: { 'retry-after': '5' } }
  if (error.code === '23505') return { status: 409, detail: 'This conflicts with existing data (a unique value is already taken).' }
  if (typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code)) return { status: 400, detail: 'A value is out of range or malformed for its column.' }
  // The schema's last line of defence; the route schemas and services should have refused the value first.
  if (error.code === '23502' || error.code === '23514') return { status: 400, detail: 'A value breaks a rule of the stored data (a required value is missing or outside its allowed range).' }
  if (error.code === '23503') return { status: 409, detail: 'This refers to data that does not exist (any more).' }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) return { status, detail: error.message }
  return { status: 500, detail: 'An unexpected error occurred. Quote the request_id when reporting it.' }
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, status: number, detail: string, extra: Partial<ProblemDocument> = {}): FastifyReply {
  const body: ProblemDocument = {
    type: extra.type ?? 'about:blank',
    title: statusTitle(status),
    status,
    detail: bounded(detail, MAX_DETAIL_CHARS),
    instance: bounded(request.url.split('?')[0], MAX_INSTANCE_CHARS),
    request_id: String(request.id),
    ...(extra.errors ? { errors: extra.errors } : {})
  }
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body)
}

/** The one error handler: logs with the request's context, answers RFC 9457, never leaks a stack or SQL. */
async function errorsPlugin (app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = classify(error)
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ status: problem.status, code: error.code, detail: bounded(problem.detail, MAX_DETAIL_CHARS) }, 'request rejected')
    if (problem.headers) reply.headers(problem.headers)
    return sendProblem(request, reply, problem.status, problem.detail, { type: problem.type, errors: problem.errors })
  })

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, `No route ${request.method} ${request.url.split('?')[0]}. The API is described at /docs.`))
}

export default fp(errorsPlugin, { name: 'errors', fastify: '5.x' })
