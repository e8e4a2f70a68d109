import t from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { PASSWORD, uniqueEmail } from './support.js'

t.test('role boundaries', async (t) => {
  const app = await buildTestApp(t)
  const owner = await createUserWithToken(app, { role: 'owner' })
  const admin = await createUserWithToken(app, { role: 'admin', companyId: owner.companyId })
  const viewer = await createUserWithToken(app, { role: 'viewer', companyId: owner.companyId })
  const create = (authorization: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/v2/auth/users', headers: { authorization }, payload })

  t.equal((await create(viewer.authorization, { email: uniqueEmail(), password: PASSWORD })).statusCode, 403, 'a viewer cannot add users')
  t.equal((await create(admin.authorization, { email: uniqueEmail(), password: PASSWORD })).statusCode, 403, 'an admin cannot add users')
  t.equal((await create(owner.authorization, { email: uniqueEmail(), password: PASSWORD, role: 'owner' })).statusCode, 400, 'no second owner through this endpoint')
  t.equal((await create(owner.authorization, { email: uniqueEmail(), password: 'password' })).statusCode, 400, 'common password')

  const made = await create(owner.authorization, { email: uniqueEmail('NewAdmin'), password: PASSWORD, role: 'admin' })
  t.equal(made.statusCode, 201)
  t.equal(made.json().role, 'admin')
  t.equal(made.json().company_id, owner.companyId, 'in the owner\'s company')
  const defaulted = await create(owner.authorization, { email: uniqueEmail(), password: PASSWORD })
  t.equal(defaulted.json().role, 'viewer', 'viewer by default')
  t.equal((await create(owner.authorization, { email: made.json().email, password: PASSWORD })).statusCode, 409, 'taken email')

  const list = (authorization: string) => app.inject({ url: '/v2/auth/users', headers: { authorization } })
  t.equal((await list(viewer.authorization)).statusCode, 403, 'viewers do not list users')
  const listed = await list(admin.authorization)
  t.equal(listed.statusCode, 200)
  t.same(listed.json().items.map((u: { id: number }) => u.id).sort((a: number, b: number) => a - b),
    [owner.id, admin.id, viewer.id, made.json().id, defaulted.json().id].sort((a, b) => a - b))

  const patch = (authorization: string, id: number) => app.inject({ method: 'PATCH', url: `/v2/auth/users/${id}`, headers: { authorization }, payload: { is_active: false } })
  t.equal((await patch(admin.authorization, viewer.id)).statusCode, 403, 'admins do not deactivate')
  t.equal((await patch(owner.authorization, viewer.id)).statusCode, 200, 'owners do')
  t.equal((await app.inject({ url: '/v2/auth/me', headers: { authorization: viewer.authorization } })).statusCode, 401, 'a deactivated user\'s /auth/me is refused')
})

t.test('tenant isolation: another company\'s users are not found', async (t) => {
  const app = await buildTestApp(t)
  const ours = await createUserWithToken(app, { role: 'owner' })
  const theirs = await createUserWithToken(app, { role: 'owner' })
  const theirViewer = await createUserWithToken(app, { role: 'viewer', companyId: theirs.companyId })

  const patched = await app.inject({ method: 'PATCH', url: `/v2/auth/users/${theirViewer.id}`, headers: { authorization: ours.authorization }, payload: { is_active: false } })
  t.equal(patched.statusCode, 404, '404, never 403: existence is not leaked')
  const still = await app.db.selectFrom('users').select('is_active').where('id', '=', theirViewer.id).executeTakeFirstOrThrow()
  t.equal(still.is_active, true, 'and nothing changed')

  const listed = await app.inject({ url: '/v2/auth/users', headers: { authorization: ours.authorization } })
  t.same(listed.json().items.map((u: { id: number }) => u.id), [ours.id], 'only our own company')

  const me = await app.inject({ url: '/v2/auth/me', headers: { authorization: ours.authorization } })
  t.equal(me.json().company_id, ours.companyId)
  // A token claiming another company for our user id finds nobody.
  const forged = app.signAccessToken({ id: ours.id, companyId: theirs.companyId, role: 'owner' })
  t.equal((await app.inject({ url: '/v2/auth/me', headers: { authorization: `Bearer ${forged}` } })).statusCode, 401)
})
