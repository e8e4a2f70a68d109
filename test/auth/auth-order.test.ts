import t from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'

// The campaigns and imports routes authenticate onRequest, "so an anonymous caller learns nothing
// about the schemas and costs no parsing" (src/modules/campaigns/routes.ts). The account routes
// check the token in preHandler, after body parsing and schema validation.

t.test('an anonymous request to an authenticated /auth write route answers 401, whatever its body (authentication before validation)', async (t) => {
  const app = await buildTestApp(t)
  const cases: Array<[string, string, unknown]> = [
    ['POST', '/v2/auth/users', { role: 'superuser' }],
    ['PATCH', '/v2/auth/users/1', { is_active: 'no' }],
    ['POST', '/v2/auth/password', {}]
  ]
  for (const [method, url, payload] of cases) {
    const response = await app.inject({ method: method as 'POST', url, payload: payload as object })
    t.equal(response.statusCode, 401, `${method} ${url} without a token: got ${response.statusCode} ${response.json().detail}`)
  }
})

t.test('a viewer or admin sending an invalid body to an owner-only route answers 403 (role check before validation)', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app, { role: 'owner' })
  for (const role of ['viewer', 'admin'] as const) {
    const user = await createUserWithToken(app, { role, companyId: owner.companyId })
    const created = await app.inject({ method: 'POST', url: '/v2/auth/users', headers: { authorization: user.authorization }, payload: { email: 'x', role: 'owner' } })
    t.equal(created.statusCode, 403, `${role} POST /auth/users: got ${created.statusCode} ${created.json().detail}`)
    const patched = await app.inject({ method: 'PATCH', url: `/v2/auth/users/${owner.id}`, headers: { authorization: user.authorization }, payload: { is_active: 'no' } })
    t.equal(patched.statusCode, 403, `${role} PATCH /auth/users/{id}: got ${patched.statusCode} ${patched.json().detail}`)
  }
})
