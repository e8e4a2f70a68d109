import AjvCompiler, { type ValidatorFactory } from '@fastify/ajv-compiler'
import type { FastifyServerOptions } from 'fastify'

const AJV_OPTIONS = { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } as const

/**
 * Query strings, path parameters and headers arrive as text, so their validators coerce ("20" to
 * 20, a repeated parameter to an array). A JSON body already has types, and coercing it rewrote
 * what the client said: null became false, 0 or "" (`{"is_active": null}` deactivated a user), true
 * became 1, ["x"] became "x". Bodies are validated as sent, so a wrong type is a 400 naming the field.
 */
function buildValidator (): ValidatorFactory {
  const coercing = AjvCompiler()
  const strict = AjvCompiler()
  return (externalSchemas, options) => {
    const forText = coercing(externalSchemas, { ...options, mode: undefined, customOptions: AJV_OPTIONS })
    const forBody = strict(externalSchemas, { ...options, mode: undefined, customOptions: { ...AJV_OPTIONS, coerceTypes: false } })
    return (route) => route.httpPart === 'body' ? forBody(route) : forText(route)
  }
}

export const schemaController: FastifyServerOptions['schemaController'] = { compilersFactory: { buildValidator: buildValidator() } }

/**
 * The query-string and parameter validator of a route that sets its own validatorCompiler (the
 * multipart upload, whose body is checked as its parts stream in): text parts coerced as everywhere.
 */
export const textPartValidator: ReturnType<ValidatorFactory> = AjvCompiler()({}, { customOptions: AJV_OPTIONS })
