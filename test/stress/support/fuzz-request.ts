import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import type { Operation, Parameter } from './openapi.js'
import { invalidValue, nastyString, validValue, type Schema } from './schema-arbitrary.js'

export type Credentials = 'valid' | 'none' | 'garbage' | 'basic'

export type BodyCase =
  | { kind: 'none' }
  | { kind: 'encoded', mediaType: string, value: unknown }
  | { kind: 'raw', contentType?: string, payload: string }

export type FuzzCase = {
  valid: boolean
  path: Record<string, unknown>
  query: Record<string, unknown>
  headers: Record<string, unknown>
  body: BodyCase
  credentials: Credentials
  origin?: string
}

/** Known values for path parameters by name (e.g. names of campaigns that exist), so details routes also answer 200. */
export type PathHints = Record<string, unknown[]>

const DEEP = '['.repeat(10_000) + ']'.repeat(10_000)

// Bodies no schema describes: malformed, wrongly labelled, empty, deeply nested, huge.
const RAW_BODIES: fc.Arbitrary<BodyCase> = fc.record({
  kind: fc.constant('raw' as const),
  contentType: fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/xml',
    'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/octet-stream', 'application/problem+json', 'text/csv', 'x/y; a=b'),
  payload: fc.oneof(
    fc.constantFrom('', '{', '{"a":', 'null', '[]', '"text"', '1', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}',
      '\u0000', '\uFFFE', 'a=1&a=2&b[c]=3', '--zz\r\nContent-Disposition: form-data; name="file"\r\n\r\n\r\n--zz--', DEEP),
    nastyString,
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))
  )
})

const OMIT = Symbol('omit')
type Slot = { key: string, valid: fc.Arbitrary<unknown>, invalid: fc.Arbitrary<unknown> }

/** The allowed browser origin of the test config, another site's, or none (CSRF checks look at it). */
export const FUZZ_ORIGINS = ['http://dashboard.test', 'https://evil.example'] as const

function parameterSlot (p: Parameter, hints: PathHints): Slot {
  const schema = p.schema ?? {}
  const required = p.in === 'path' || Boolean(p.required)
  let valid = validValue(schema)
  if (p.in === 'path' && hints[p.name]?.length) valid = fc.oneof(valid, fc.constantFrom(...hints[p.name]))
  // Leaving an optional value out is valid (and common); leaving a required one out is not.
  if (!required) valid = fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(OMIT) })
  let invalid: fc.Arbitrary<unknown> = required && p.in !== 'path' ? fc.oneof(invalidValue(schema), fc.constant(OMIT)) : invalidValue(schema)
  // A path segment cannot be empty: the router would answer another route.
  if (p.in === 'path') {
    valid = valid.filter((v) => scalar(v) !== '')
    invalid = invalid.filter((v) => scalar(v) !== '')
  }
  return { key: `${p.in}:${p.name}`, valid, invalid }
}

function bodySlot (op: Operation): Slot | undefined {
  if (!op.body) return undefined
  const choices = Object.entries(op.body.content)
  const encoded = (pick: (schema: Schema) => fc.Arbitrary<unknown>) =>
    fc.oneof(...choices.map(([mediaType, schema]) => pick(schema).map((value) => ({ kind: 'encoded', mediaType, value }) as BodyCase)))
  const none = fc.constant<BodyCase>({ kind: 'none' })
  return {
    key: 'body',
    valid: op.body.required ? encoded(validValue) : fc.oneof({ weight: 4, arbitrary: encoded(validValue) }, { weight: 1, arbitrary: none }),
    invalid: op.body.required ? fc.oneof({ weight: 4, arbitrary: encoded(invalidValue) }, { weight: 1, arbitrary: none }) : encoded(invalidValue)
  }
}

/**
 * One request for the operation: every part valid (boundary values included), then in about
 * half the cases exactly one part broken (a parameter, the body, or a raw body no schema
 * describes), so a refusal can be traced to one cause. With or without credentials and Origin.
 */
export function fuzzCase (op: Operation, hints: PathHints): fc.Arbitrary<FuzzCase> {
  const slots = op.parameters.filter((p) => p.in !== 'cookie').map((p) => parameterSlot(p, hints))
  const body = bodySlot(op)
  if (body) slots.push(body)
  const declared = new Set(op.parameters.filter((p) => p.in === 'query').map((p) => p.name))
  const extraNames = ['extra', '__proto__', 'q[]', 'a.b', 'x'].filter((name) => !declared.has(name))
  const corruptions = [...slots.map((slot) => slot.key), 'raw-body']
  return fc.record({
    valid: fc.record(Object.fromEntries(slots.map((slot) => [slot.key, slot.valid]))),
    invalid: fc.record(Object.fromEntries(slots.map((slot) => [slot.key, slot.invalid]))),
    corrupt: fc.option(fc.constantFrom(...corruptions), { freq: 2 }),
    raw: RAW_BODIES,
    extra: fc.option(fc.tuple(fc.constantFrom(...extraNames), nastyString), { freq: 4 }),
    credentials: op.secured
      ? fc.oneof({ weight: 3, arbitrary: fc.constant<Credentials>('valid') }, { weight: 1, arbitrary: fc.constantFrom<Credentials>('none', 'garbage', 'basic') })
      : fc.constantFrom<Credentials>('valid', 'none', 'garbage', 'basic'),
    origin: fc.oneof({ weight: 3, arbitrary: fc.constant(FUZZ_ORIGINS[0]) }, { weight: 1, arbitrary: fc.constantFrom(undefined, FUZZ_ORIGINS[1]) })
  }).map(({ valid, invalid, corrupt, raw, extra, credentials, origin }) => {
    const c: FuzzCase = { valid: corrupt === null, path: {}, query: {}, headers: {}, body: { kind: 'none' }, credentials, origin }
    for (const slot of slots) {
      const value = slot.key === corrupt ? invalid[slot.key] : valid[slot.key]
      if (value === OMIT) continue
      if (slot.key === 'body') c.body = value as BodyCase
      else {
        const colon = slot.key.indexOf(':')
        const where = slot.key.slice(0, colon)
        const target = where === 'path' ? c.path : where === 'query' ? c.query : c.headers
        target[slot.key.slice(colon + 1)] = value
      }
    }
    if (corrupt === 'raw-body') c.body = raw
    // Unknown query parameters are allowed by the schemas, so they do not make a case invalid.
    if (extra) c.query[extra[0]] = extra[1]
    return c
  })
}

const scalar = (value: unknown) => typeof value === 'string' ? value : JSON.stringify(value) ?? ''
// Node refuses header values with control characters before sending; keep what HTTP can carry.
const headerValue = (value: unknown) => scalar(value).replace(/[^\t\x20-\x7e\x80-\xff]/g, '?').slice(0, 8192)

function encodePathSegment (value: unknown): string {
  // Dots are escaped too: "." and ".." segments would be normalised away by URL parsing.
  return encodeURIComponent(scalar(value)).replace(/\./g, '%2E')
}

function formEncode (value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return scalar(value)
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(value)) {
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, scalar(item))
  }
  return params.toString()
}

function multipartEncode (value: unknown): { payload: string, contentType: string } {
  const boundary = 'fuzzboundary7MA4YWxkTrZu0gW'
  const fields = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [['file', value]]
  const parts = fields.map(([name, v]) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.csv"\r\nContent-Type: text/csv\r\n\r\n${scalar(v)}\r\n`)
  return { payload: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` }
}

/** The light-my-request options that send the case to the operation. */
export function toInject (op: Operation, c: FuzzCase, token: string): InjectOptions {
  const url = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodePathSegment(c.path[name]))
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(c.query)) {
    for (const item of Array.isArray(v) ? v : [v]) query.append(k, scalar(item))
  }
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(c.headers)) headers[k.toLowerCase()] = headerValue(v)
  if (c.credentials === 'valid') headers.authorization = `Bearer ${token}`
  if (c.credentials === 'garbage') headers.authorization = `Bearer ${token.slice(0, -4)}AAAA`
  if (c.credentials === 'basic') headers.authorization = 'Basic YWRtaW46YWRtaW4='
  if (c.origin) headers.origin = c.origin
  let payload: string | undefined
  if (c.body.kind === 'raw') {
    payload = c.body.payload
    if (c.body.contentType) headers['content-type'] = c.body.contentType
  } else if (c.body.kind === 'encoded') {
    const { mediaType, value } = c.body
    if (mediaType.startsWith('multipart/')) {
      const encoded = multipartEncode(value)
      payload = encoded.payload
      headers['content-type'] = encoded.contentType
    } else {
      payload = mediaType === 'application/x-www-form-urlencoded' ? formEncode(value) : JSON.stringify(value)
      headers['content-type'] = mediaType
    }
  }
  const search = query.toString()
  return { method: op.method as InjectOptions['method'], url: search ? `${url}?${search}` : url, headers, payload }
}
