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

function mix (schema: Schema, required: boolean): fc.Arbitrary<{ valid: boolean, value: unknown }> {
  const arbitraries = [
    { weight: 8, arbitrary: validValue(schema).map((value) => ({ valid: true, value })) },
    { weight: 2, arbitrary: invalidValue(schema).map((value) => ({ valid: false, value })) }
  ]
  // Leaving an optional value out is valid; leaving a required one out is not.
  arbitraries.push({ weight: 1, arbitrary: fc.constant({ valid: !required, value: undefined }) })
  return fc.oneof(...arbitraries)
}

function parameters (list: Parameter[], where: Parameter['in'], hints: PathHints): fc.Arbitrary<{ valid: boolean, values: Record<string, unknown> }> {
  const selected = list.filter((p) => p.in === where)
  const model: Record<string, fc.Arbitrary<{ valid: boolean, value: unknown }>> = {}
  for (const p of selected) {
    let arbitrary = mix(p.schema ?? {}, where === 'path' || Boolean(p.required))
    // A path segment cannot be empty (the router would answer another route); unknown values are fine.
    if (where === 'path') arbitrary = arbitrary.filter(({ value }) => value !== undefined && String(value) !== '')
    if (where === 'path' && hints[p.name]?.length) {
      arbitrary = fc.oneof(arbitrary, fc.constantFrom(...hints[p.name]).map((value) => ({ valid: true, value })))
    }
    model[p.name] = arbitrary
  }
  const extra = where === 'query'
    ? fc.option(fc.tuple(fc.constantFrom('extra', 'limit', 'cursor', 'sort', '__proto__', 'q[]', 'a.b'), nastyString), { freq: 4 })
    : fc.constant(null)
  return fc.tuple(fc.record(model), extra).map(([entries, added]) => {
    const values: Record<string, unknown> = {}
    let valid = true
    for (const [name, entry] of Object.entries(entries)) {
      valid &&= entry.valid
      if (entry.value !== undefined) values[name] = entry.value
    }
    // An unknown parameter is valid (schemas allow them); a declared one given a nasty value is not.
    if (added && !(added[0] in values)) {
      values[added[0]] = added[1]
      if (selected.some((p) => p.name === added[0])) valid = false
    }
    return { valid, values }
  })
}

function bodies (op: Operation): fc.Arbitrary<{ valid: boolean, body: BodyCase }> {
  if (!op.body) {
    return fc.oneof(
      { weight: 5, arbitrary: fc.constant({ valid: true, body: { kind: 'none' } as BodyCase }) },
      { weight: 1, arbitrary: RAW_BODIES.map((body) => ({ valid: false, body })) })
  }
  const encoded = Object.entries(op.body.content).map(([mediaType, schema]) =>
    mix(schema, op.body!.required).map(({ valid, value }) => ({
      valid,
      body: (value === undefined ? { kind: 'none' } : { kind: 'encoded', mediaType, value }) as BodyCase
    })))
  return fc.oneof(
    { weight: 5, arbitrary: fc.oneof(...encoded) },
    { weight: 1, arbitrary: RAW_BODIES.map((body) => ({ valid: false, body })) })
}

/** One request for the operation: valid, boundary and invalid parts mixed, with or without credentials. */
export function fuzzCase (op: Operation, hints: PathHints): fc.Arbitrary<FuzzCase> {
  return fc.record({
    path: parameters(op.parameters, 'path', hints),
    query: parameters(op.parameters, 'query', hints),
    headers: parameters(op.parameters, 'header', hints),
    body: bodies(op),
    credentials: op.secured
      ? fc.oneof({ weight: 3, arbitrary: fc.constant<Credentials>('valid') }, { weight: 1, arbitrary: fc.constantFrom<Credentials>('none', 'garbage', 'basic') })
      : fc.constantFrom<Credentials>('valid', 'none', 'garbage', 'basic')
  }).map(({ path, query, headers, body, credentials }) => ({
    valid: path.valid && query.valid && headers.valid && body.valid,
    path: path.values,
    query: query.values,
    headers: headers.values,
    body: body.body,
    credentials
  }))
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
