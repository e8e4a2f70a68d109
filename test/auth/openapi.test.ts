import t from 'tap'
import { validate } from '@readme/openapi-parser'
import { buildTestApp } from '../helper.js'

type Operation = { tags?: string[], requestBody?: { content: Record<string, unknown> }, responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }

const ROUTES: Array<[string, string, string[]]> = [
  ['post', '/v2/auth/register', ['201', '400', '409', '429']],
  ['post', '/v2/auth/token', ['200', '400', '401', '429']],
  ['post', '/v2/auth/refresh', ['200', '401', '403', '415', '429']],
  ['post', '/v2/auth/logout', ['204', '403', '415']],
  ['get', '/v2/auth/me', ['200', '401']],
  ['get', '/v2/auth/users', ['200', '401', '403']],
  ['post', '/v2/auth/users', ['201', '400', '401', '403', '409']],
  ['patch', '/v2/auth/users/{id}', ['200', '401', '403', '404']],
  ['post', '/v2/auth/password', ['204', '400', '401', '403']]
]

t.test('every auth endpoint and response is in the OpenAPI document', async (t) => {
  const app = await buildTestApp(t)
  const response = await app.inject('/docs/json')
  t.equal(response.statusCode, 200)
  const doc = response.json()
  const result = await validate(structuredClone(doc))
  t.ok(result.valid, `the document is valid OpenAPI${result.valid ? '' : `: ${JSON.stringify(result.errors).slice(0, 500)}`}`)
  for (const [method, path, statuses] of ROUTES) {
    const operation = doc.paths[path]?.[method] as Operation | undefined
    t.ok(operation, `${method.toUpperCase()} ${path} is documented`)
    if (!operation) continue
    t.same(operation.tags, ['auth'])
    for (const status of statuses) {
      const content = operation.responses[status]?.content
      if (status === '204') {
        t.ok(operation.responses[status], `${method} ${path} declares 204`)
        continue
      }
      t.ok(content && Object.values(content).every((c) => c.schema), `${method.toUpperCase()} ${path} declares ${status} with a schema`)
    }
  }
  const login = doc.paths['/v2/auth/token'].post as Operation
  t.same(Object.keys(login.requestBody?.content ?? {}).sort(), ['application/json', 'application/x-www-form-urlencoded'], 'JSON and the OAuth2 form')
  t.same(Object.keys(doc.components.securitySchemes), ['bearerAuth'], 'Authorize offers one way in: the access token as a bearer field')
})
