import { STATUS_CODES } from 'node:http'
import { Kind, Type, type Static, type TSchema } from '@sinclair/typebox'

/** RFC 9457 problem document: the one error shape of the whole API. */
export const Problem = Type.Object({
  type: Type.String({ description: 'URI reference identifying the problem type', examples: ['about:blank'] }),
  title: Type.String({ description: 'Short summary of the problem type', examples: ['Bad Request'] }),
  status: Type.Integer({ minimum: 400, maximum: 599, examples: [400] }),
  detail: Type.Optional(Type.String({ description: 'What went wrong in this occurrence, and what to do next' })),
  instance: Type.Optional(Type.String({ description: 'The request path' })),
  request_id: Type.Optional(Type.String({ description: 'Quote it when reporting a problem: the logs carry it' })),
  errors: Type.Optional(Type.Array(Type.Object({
    field: Type.String({ description: 'Where the bad value is, e.g. body.email or querystring.limit' }),
    message: Type.String()
  }), { description: 'One entry per invalid field' }))
}, { $id: 'Problem', title: 'Problem', description: 'RFC 9457 problem details' })
export type ProblemDocument = Static<typeof Problem>

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/**
 * The schema, or null (a missing value: the API never invents one). A type list, OpenAPI 3.1's own
 * form, not anyOf [schema, null]: with coerceTypes, ajv took anyOf's first branch and turned an
 * explicit null into 0; and fast-json-stringify runs a validator per anyOf value (~3 µs per list page).
 */
export const nullable = <T extends TSchema & { type: string }>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, [Kind]: 'Unsafe', type: [schema.type, 'null'] })

const STATUS_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: the problem lists each bad field',
  401: 'Missing, invalid or expired credentials',
  403: 'Not allowed for this role or origin',
  404: 'Not found in your company',
  409: 'Conflicts with existing data',
  413: 'Body too large',
  414: 'A path segment is too long',
  415: 'Unsupported content type',
  426: 'HTTPS required',
  429: 'Too many requests: see Retry-After',
  500: 'Unexpected error: quote request_id',
  503: 'Database unavailable: retry shortly'
}

/**
 * Response entries for the given problem statuses, served as application/problem+json. Each has an
 * example of its own status and title, as src/errors.ts titles
 * it (the Problem schema's own examples made /docs show a 400 for every one).
 */
export function problemResponses (...statuses: number[]): Record<number, TSchema> {
  const responses: Record<number, TSchema> = {}
  for (const status of statuses) {
    const example: ProblemDocument = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail: STATUS_DESCRIPTIONS[status] ?? 'Problem' }
    responses[status] = {
      description: STATUS_DESCRIPTIONS[status] ?? 'Problem',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: Type.Ref(Problem), example } }
    } as unknown as TSchema
  }
  return responses
}

/**
 * Errors every route can answer, whatever its own contract: bad input, overload, outage, bug.
 * src/plugins/common-problems.ts declares them (and 413 and 415 on body methods, 414 on paths with
 * parameters) on every route that declares its responses, so a route lists only the statuses its
 * own logic answers.
 */
export const COMMON_PROBLEMS = [400, 429, 500, 503] as const

/** A calendar date; year 0000 passes the RFC 3339 format but not PostgreSQL (there is no year 0). */
export const DateString = Type.String({ format: 'date', pattern: '^(?!0000)', description: 'Calendar date, YYYY-MM-DD (year 0001 or later)', examples: ['2025-03-01'] })
export const DateTime = Type.String({ format: 'date-time' })

export const NoContent = Type.Null({ description: 'No content' })

/** The security requirement of protected routes: a bearer JWT (the access token of POST /v2/auth/token). */
export const BEARER_SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }]
/**
 * Public routes (health, login, registration; refresh and logout, whose credential is the httpOnly
 * refresh cookie the browser sends, not a header a client sets): `security: []` says so in the document.
 */
export const NO_SECURITY: Array<Record<string, string[]>> = []
