import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { Schema } from './schema-arbitrary.js'

export type OpenApiDocument = { paths: Record<string, Record<string, any>>, components?: Record<string, any>, security?: unknown[] }

export type Parameter = { name: string, in: 'path' | 'query' | 'header' | 'cookie', required?: boolean, schema: Schema }

export type Operation = {
  method: string
  /** OpenAPI path, e.g. /campaigns/{name} */
  path: string
  /** The same path as Fastify writes it, e.g. /campaigns/:name */
  route: string
  label: string
  parameters: Parameter[]
  /** Media type -> schema of the request body, when the operation takes one. */
  body?: { required: boolean, content: Record<string, Schema> }
  secured: boolean
  responses: Record<string, any>
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** Replaces every local $ref (#/components/...) by its target, stopping at cycles. */
export function deref (schema: unknown, doc: OpenApiDocument, seen: string[] = []): any {
  if (Array.isArray(schema)) return schema.map((s) => deref(s, doc, seen))
  if (!schema || typeof schema !== 'object') return schema
  const { $ref, ...rest } = schema as Record<string, unknown>
  if (typeof $ref === 'string' && $ref.startsWith('#/')) {
    if (seen.includes($ref)) return {}
    const target = $ref.slice(2).split('/').reduce<any>((node, key) => node?.[decodeURIComponent(key)], doc)
    return deref({ ...target, ...rest }, doc, [...seen, $ref])
  }
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, deref(v, doc, seen)]))
}

/** Every operation of the document, with parameters and body schemas resolved. */
export function listOperations (doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (!op) continue
      const parameters = deref([...(item.parameters ?? []), ...(op.parameters ?? [])], doc) as Parameter[]
      const content = op.requestBody?.content as Record<string, { schema?: Schema }> | undefined
      operations.push({
        method: method.toUpperCase(),
        path,
        route: path.replace(/\{([^}]+)\}/g, ':$1'),
        label: `${method.toUpperCase()} ${path}`,
        parameters,
        body: content
          ? { required: Boolean(op.requestBody.required), content: Object.fromEntries(Object.entries(content).map(([type, c]) => [type, deref(c.schema ?? {}, doc)])) }
          : undefined,
        // An operation's own security overrides the document's (an empty list means public).
        secured: Array.isArray(op.security ?? doc.security) && (op.security ?? doc.security).length > 0,
        responses: op.responses ?? {}
      })
    }
  }
  return operations
}

export type ResponseCheck = { ok: true } | { ok: false, reason: string }

/**
 * Checks a response against what its operation declares: the status (exact, then 2XX-style,
 * then default), the media type, and the body against the declared schema, compiled with Ajv
 * (draft 2019+ keywords as OpenAPI 3.1 uses them; $refs resolve through the document's components).
 */
export class ResponseValidator {
  private readonly ajv: Ajv
  private readonly cache = new Map<string, ValidateFunction>()

  constructor (private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true })
    addFormats.default(this.ajv)
  }

  private compile (key: string, schema: Schema): ValidateFunction {
    let validate = this.cache.get(key)
    if (!validate) {
      // The components travel with the schema so that "#/components/schemas/X" resolves inside it.
      validate = this.ajv.compile({ ...schema, $id: `fuzz:${this.cache.size}`, components: this.doc.components })
      this.cache.set(key, validate)
    }
    return validate
  }

  /** The schema of the Problem component, for answers no operation owns (e.g. the router's 404). */
  problem (status: number, contentType: string | undefined, body: string): ResponseCheck {
    return this.check({ [status]: { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } }, `problem ${status}`, status, contentType, body)
  }

  check (responses: Record<string, any>, label: string, status: number, contentType: string | undefined, body: string): ResponseCheck {
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k] !== undefined)
    if (!key) return { ok: false, reason: `status ${status} is not declared (declared: ${Object.keys(responses).join(', ')})` }
    const declared = responses[key]
    const content: Record<string, { schema?: Schema }> | undefined = declared.content
    if (!content || Object.keys(content).length === 0) {
      return body.length === 0 ? { ok: true } : { ok: false, reason: `status ${status} declares no body but ${body.length} bytes came` }
    }
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase()
    const entry = content[mediaType]
    if (!entry) return { ok: false, reason: `status ${status} answered as "${mediaType}", declared: ${Object.keys(content).join(', ')}` }
    // CSV downloads and the like: the declared media type is all there is to check.
    if (!/[/+]json$/.test(mediaType)) return { ok: true }
    let value: unknown
    try {
      value = JSON.parse(body)
    } catch {
      return { ok: false, reason: `status ${status} body is not JSON: ${body.slice(0, 200)}` }
    }
    const validate = this.compile(`${label} ${key} ${mediaType}`, entry.schema ?? {})
    if (validate(value)) return { ok: true }
    return { ok: false, reason: `status ${status} body does not match its schema: ${this.ajv.errorsText(validate.errors)}; body: ${body.slice(0, 300)}` }
  }
}
