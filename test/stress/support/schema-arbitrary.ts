import fc from 'fast-check'

/** A JSON Schema as found in the OpenAPI document, with $refs already resolved. */
export type Schema = Record<string, any>

// Inputs that broke parsers, SQL builders and serialisers elsewhere: quotes, comments, NUL,
// JSON and operator look-alikes, right-to-left marks, astral characters, number edge cases.
export const NASTY_STRINGS = [
  "' OR '1'='1", "'; DROP TABLE users; --", '" OR ""="', '%', '_', '\\', '\\\\x00', '\u0000', '%00',
  '{"$ne":null}', '"}]}', '[', '{}', '__proto__', 'constructor', '../../etc/passwd', '<script>alert(1)</script>',
  '$' + '{7*7}', '{{7*7}}', '\u202egnp.exe', '𝕳𝖊𝖑𝖑𝖔 🎉👩‍👩‍👧', 'e\u0301', '\uFEFF', '\r\n', 'null', 'undefined', 'NaN',
  '-0', '1e309', '-1', '9'.repeat(40), '0x10', ' ', '', 'true', '2025-02-30', '0000-00-00', '9999-99-99'
]

const HUGE = 'x'.repeat(100_000)

/** Any string, biased towards the ones above, unicode and a 100 kB one. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constant(HUGE) }
)

const isObjectSchema = (s: Schema) => s.type === 'object' || (s.type === undefined && s.properties !== undefined)

/** Values that satisfy the schema (formats included), biased towards its boundaries. */
export function validValue (schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum)
  const union = schema.anyOf ?? schema.oneOf
  if (Array.isArray(union)) return fc.oneof(...union.map((s: Schema) => validValue({ ...withoutUnion(schema), ...s }, depth)))
  if (Array.isArray(schema.allOf)) return validValue(mergeAll(schema), depth)
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type: string) => validValue({ ...schema, type }, depth)))
  switch (schema.type) {
    case 'null': return fc.constant(null)
    case 'boolean': return fc.boolean()
    case 'integer': return validInteger(schema)
    case 'number': return validNumber(schema)
    case 'string': return validString(schema)
    case 'array': return validArray(schema, depth)
    default:
      if (isObjectSchema(schema)) return validObject(schema, depth)
      return depth > 2 ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 })
  }
}

function withoutUnion (schema: Schema): Schema {
  const { anyOf, oneOf, ...rest } = schema
  return rest
}

function mergeAll (schema: Schema): Schema {
  const { allOf, ...rest } = schema
  return (allOf as Schema[]).reduce<Schema>((merged, part) => ({
    ...merged,
    ...part,
    properties: { ...merged.properties, ...part.properties },
    required: [...(merged.required ?? []), ...(part.required ?? [])]
  }), rest)
}

function integerBounds (schema: Schema): { min: number, max: number } {
  let min = schema.minimum ?? -(2 ** 31)
  let max = schema.maximum ?? 2 ** 31 - 1
  if (typeof schema.exclusiveMinimum === 'number') min = Math.max(min, Math.floor(schema.exclusiveMinimum) + 1)
  if (typeof schema.exclusiveMaximum === 'number') max = Math.min(max, Math.ceil(schema.exclusiveMaximum) - 1)
  return { min: Math.ceil(min), max: Math.floor(max) }
}

function validInteger (schema: Schema): fc.Arbitrary<number> {
  const { min, max } = integerBounds(schema)
  const edges = [min, max, min + 1, max - 1, 0, 1, -1].filter((n) => n >= min && n <= max)
  const step = schema.multipleOf ?? 1
  return fc.oneof(fc.constantFrom(...edges), fc.integer({ min, max }))
    .map((n) => Math.min(max, Math.max(min, Math.round(n / step) * step)))
    .filter((n) => n >= min && n <= max && n % step === 0)
}

function validNumber (schema: Schema): fc.Arbitrary<number> {
  if (schema.multipleOf !== undefined) return validInteger({ ...schema, multipleOf: undefined }).map((n) => n * schema.multipleOf)
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e9
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e9
  const inside = (n: number) => n >= min && n <= max && n !== schema.exclusiveMinimum && n !== schema.exclusiveMaximum
  return fc.oneof(fc.constantFrom(min, max, 0, 0.5, (min + max) / 2), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }))
    .filter(inside)
}

const day = (d: Date) => d.toISOString().slice(0, 10)
const dates = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
const simpleEmail = fc.tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.stringMatching(/^[a-z]{1,12}$/), fc.constantFrom('com', 'mx', 'test'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`)

const FORMATS: Record<string, fc.Arbitrary<string>> = {
  date: fc.oneof(dates.map(day), fc.constantFrom('2024-02-29', '2025-01-01', '2025-12-31', '1970-01-01')),
  'date-time': dates.map((d) => d.toISOString()),
  time: dates.map((d) => d.toISOString().slice(11, 19) + 'Z'),
  email: fc.oneof({ weight: 4, arbitrary: simpleEmail }, { weight: 1, arbitrary: fc.emailAddress() }),
  uuid: fc.uuid(),
  uri: fc.webUrl(),
  'uri-reference': fc.webUrl(),
  ipv4: fc.ipV4(),
  password: fc.string({ unit: 'binary', minLength: 1, maxLength: 64 })
}

/** Length as Ajv counts it: code points, not UTF-16 units. */
export const codePoints = (s: string) => [...s].length

function validString (schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0
  const maxLength = schema.maxLength ?? Math.max(minLength, 200)
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined
  const fits = (s: string) => codePoints(s) >= minLength && codePoints(s) <= maxLength && (!pattern || pattern.test(s))
  const format = schema.format ? FORMATS[schema.format] : undefined
  if (format) return format.filter(fits)
  // fast-check cannot generate from a lookahead: generate from the rest, keep what the whole pattern accepts.
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern.replace(/^\^\(\?[!=](?:[^()]|\([^()]*\))*\)/, '^'), 'u')).filter(fits)
  const edges = [minLength, maxLength].map((n) => 'a'.repeat(n))
  return fc.oneof(
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength, maxLength: Math.min(maxLength, minLength + 60) }) },
    { weight: 1, arbitrary: fc.constantFrom(...edges) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY_STRINGS).filter(fits) }
  ).filter(fits)
}

function validArray (schema: Schema, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = schema.minItems ?? 0
  const maxLength = Math.min(schema.maxItems ?? minLength + 4, minLength + 4)
  const items = schema.items && typeof schema.items === 'object' ? validValue(schema.items, depth + 1) : fc.jsonValue({ maxDepth: 1 })
  if (schema.uniqueItems) return fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
  return fc.array(items, { minLength, maxLength })
}

function validObject (schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {}
  const model = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, validValue(s, depth + 1)]))
  const requiredKeys = (schema.required ?? []).filter((key: string) => key in properties)
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>
}

const ANY_TYPE: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), nastyString,
  fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 })
)

/**
 * Values that probably break the schema: a wrong type, a bound crossed, an unknown enum value,
 * a required field missing, an unknown field, a broken nested value. "Probably": the test asserts
 * how the service answers, never that the value was rejected, so a value that happens to be valid costs nothing.
 */
export function invalidValue (schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [ANY_TYPE, nastyString]
  if (schema.type === 'integer' || schema.type === 'number') {
    const { min, max } = integerBounds(schema)
    options.push(fc.constantFrom(min - 1, max + 1, 2 ** 53, -(2 ** 53), 1.5, 1e308, -1e308, '1e3', '0x1F', ' 7 ', '7abc'))
  }
  if (schema.type === 'string') {
    if (schema.maxLength !== undefined) options.push(fc.constant('y'.repeat(schema.maxLength + 1)))
    if (schema.minLength) options.push(fc.constant('y'.repeat(schema.minLength - 1)))
    if (schema.format) options.push(fc.constantFrom('2025-13-01', '2025-02-30', 'not-a-date', 'a@', '@b.c', 'x@y', '1'))
  }
  if (Array.isArray(schema.enum)) options.push(nastyString.filter((s) => !schema.enum.includes(s)))
  if (schema.type === 'array' && depth < 2) {
    options.push(fc.array(invalidValue(schema.items ?? {}, depth + 1), { minLength: 1, maxLength: 3 }))
    if (schema.maxItems !== undefined) options.push(fc.array(fc.integer(), { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 2 }))
  }
  if (isObjectSchema(schema) && depth < 2) options.push(...invalidObjects(schema, depth))
  return fc.oneof(...options)
}

function invalidObjects (schema: Schema, depth: number): fc.Arbitrary<unknown>[] {
  const valid = validObject(schema, depth) as fc.Arbitrary<Record<string, unknown>>
  const keys = Object.keys(schema.properties ?? {})
  const result: fc.Arbitrary<unknown>[] = [
    fc.tuple(valid, fc.constantFrom('extra', '__proto__', 'constructor', 'company_id', 'role', ''), ANY_TYPE)
      .map(([value, key, extra]) => ({ ...value, [key]: extra }))
  ]
  const required: string[] = schema.required ?? []
  if (required.length > 0) {
    result.push(fc.tuple(valid, fc.constantFrom(...required)).map(([value, key]) => {
      const copy = { ...value }
      delete copy[key]
      return copy
    }))
  }
  if (keys.length > 0) {
    result.push(fc.constantFrom(...keys).chain((key) =>
      fc.tuple(valid, invalidValue(schema.properties[key], depth + 1)).map(([value, bad]) => ({ ...value, [key]: bad }))))
  }
  return result
}
