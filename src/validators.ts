import AjvCompiler, { type ValidatorFactory } from '@fastify/ajv-compiler'
import type { FastifyServerOptions } from 'fastify'

const AJV_OPTIONS = { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } as const

/**
 * A body with more values than this gets its first error only. Reporting every bad field helps a
 * client fix a form; on a large body it is how one request becomes megabytes of errors and CPU
 * (issue 22: 90,000 unknown keys answered 90,000 errors). Our bodies have a few dozen values.
 */
export const FULL_REPORT_MAX_VALUES = 200

type AjvValidate = ((data: unknown, context?: unknown) => boolean) & { errors?: unknown[] | null, schemaEnv?: unknown }

/** Whether `value` holds at most `budget` values (objects, arrays and scalars, nested), counted without walking past the budget. */
export function holdsAtMost (value: unknown, budget: number): boolean {
  const stack = [value]
  let left = budget
  while (stack.length > 0) {
    const next = stack.pop()
    if (--left < 0) return false
    if (typeof next !== 'object' || next === null) continue
    const children = Array.isArray(next) ? next : Object.values(next)
    if (children.length > left) return false
    stack.push(...children)
  }
  return true
}

/**
 * Validates with a fail-fast validator (ajv stops at the first error), and only when that fails
 * on a body of at most FULL_REPORT_MAX_VALUES values runs the one that lists every error. A valid
 * body costs one pass, as before; an invalid large one stops early.
 */
function failFastThenFull (fast: AjvValidate, full: AjvValidate): AjvValidate {
  const validate: AjvValidate = (data, context) => {
    if (fast(data, context)) {
      validate.errors = null
      return true
    }
    validate.errors = holdsAtMost(data, FULL_REPORT_MAX_VALUES) && !full(data, context) ? full.errors : fast.errors
    return false
  }
  // Fastify passes the parent object (so ajv may replace a root value) when the validator has a schemaEnv, as ajv's do.
  validate.schemaEnv = fast.schemaEnv
  return validate
}

/**
 * Query strings, path parameters and headers arrive as text, so their validators coerce ("20" to
 * 20, a repeated parameter to an array). A JSON body already has types, and coercing it rewrote
 * what the client said: null became false, 0 or "" (`{"is_active": null}` deactivated a user), true
 * became 1, ["x"] became "x". Bodies are validated as sent, so a wrong type is a 400 naming the field.
 * Text parts are bounded by the URL and header limits; a body can be a megabyte, so it is validated fail-fast first.
 */
function buildValidator (): ValidatorFactory {
  const coercing = AjvCompiler()
  const strict = AjvCompiler()
  const firstError = AjvCompiler()
  return (externalSchemas, options) => {
    const forText = coercing(externalSchemas, { ...options, mode: undefined, customOptions: AJV_OPTIONS })
    const forBody = strict(externalSchemas, { ...options, mode: undefined, customOptions: { ...AJV_OPTIONS, coerceTypes: false } })
    const forBodyFast = firstError(externalSchemas, { ...options, mode: undefined, customOptions: { ...AJV_OPTIONS, coerceTypes: false, allErrors: false } })
    return (route) => route.httpPart === 'body'
      ? failFastThenFull(forBodyFast(route) as AjvValidate, forBody(route) as AjvValidate) as ReturnType<typeof forBody>
      : forText(route)
  }
}

export const schemaController: FastifyServerOptions['schemaController'] = { compilersFactory: { buildValidator: buildValidator() } }

/**
 * The query-string and parameter validator of a route that sets its own validatorCompiler (the
 * multipart upload, whose body is checked as its parts stream in): text parts coerced as everywhere.
 */
export const textPartValidator: ReturnType<ValidatorFactory> = AjvCompiler()({}, { customOptions: AJV_OPTIONS })
