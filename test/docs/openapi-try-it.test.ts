import { readFile } from 'node:fs/promises'
import { STATUS_CODES } from 'node:http'
import t from 'tap'
import { parse } from 'csv-parse/sync'
import { buildTestApp } from '../helper.js'

// What /docs' "Try it out" sends as it stands comes from the document: Swagger UI pre-fills a
// parameter from its example (or the first named example) and its default. These checks hold the
// document to what a newcomer on the seeded data needs; test/docs/try-it-out.test.ts clicks through it.

type Parameter = { in: string, name: string, required?: boolean, example?: unknown, examples?: unknown, schema?: { default?: unknown } }
type Media = { schema?: unknown, example?: { status?: number, title?: string } }
type Operation = { parameters?: Parameter[], responses: Record<string, { description?: string, content?: Record<string, Media> }> }

async function seededCampaignNames (): Promise<Set<string>> {
  const text = await readFile(new URL('../../db/sample-data/bd_campanias_agrupado.csv', import.meta.url), 'utf8')
  const rows = parse(text, { bom: true, columns: true }) as Array<{ name: string }>
  return new Set(rows.map((row) => row.name))
}

t.test('the OpenAPI document fits the seeded data', async (t) => {
  const app = await buildTestApp(t)
  const doc = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, Operation>>, components: { securitySchemes: Record<string, unknown> } }
  const seeded = await seededCampaignNames()
  // Today's API and the probes; the v1 contract at the root paths (src/modules/legacy) keeps the old service's documentation.
  const operations = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v2/') || path.startsWith('/health')).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, method, op })))
  t.ok(operations.length > 15, 'the document has its operations')

  for (const { label, method, op } of operations) {
    for (const [status, response] of Object.entries(op.responses)) {
      t.ok(response.description && response.description !== 'Default Response', `${label} ${status} has a description of its own`)
      const problem = response.content?.['application/problem+json']
      if (problem) t.match(problem.example, { status: Number(status), title: STATUS_CODES[Number(status)] }, `${label} ${status}: its example is a ${status}`)
    }
    for (const parameter of op.parameters ?? []) {
      if (parameter.in === 'path' && parameter.name === 'name') {
        t.ok(seeded.has(String(parameter.example)), `${label}: the path example ${String(parameter.example)} is a seeded campaign`)
      }
      if (method === 'get' && parameter.in === 'query' && !parameter.required) {
        t.equal(parameter.example, undefined, `${label} ?${parameter.name} is not pre-filled from an example`)
        t.equal(parameter.examples, undefined, `${label} ?${parameter.name} has no named example to pre-fill`)
      }
    }
  }
  const filters = doc.paths['/v2/campaigns'].get.parameters!.filter((p) => ['tipo_campania', 'start_date', 'end_date', 'q', 'zm', 'estado'].includes(p.name))
  t.equal(filters.length, 6, 'the six filters are documented')
  for (const filter of filters) t.equal(filter.schema?.default, undefined, `?${filter.name} has no default`)
  t.same(Object.keys(doc.components.securitySchemes), ['bearerAuth'], 'one way in')

  const page = await app.inject('/docs/')
  t.match(page.body, /<title>Campaign Analytics API/, 'the page title names the service')
})
