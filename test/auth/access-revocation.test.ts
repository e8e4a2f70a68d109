import t, { type Test } from 'tap'
import { setTimeout } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { buildTestApp, createUserWithToken, ENGINE, uniqueName } from '../helper.js'
import { DASHBOARD, PASSWORD, login, logout, refreshTokenOf } from './support.js'

// Issue 22, finding 8: after a logout, a password change or a deactivation the user's earlier
// access tokens must stop working within seconds, on every instance, including on routes that
// never read the account (creating a campaign). Checked on POST /v2/campaigns as an admin.

const NEW_PASSWORD = 'Marmalade-Cello-77'
const campaign = () => ({ name: uniqueName('revoked'), tipo_campania: 'mensual', fecha_inicio: '2025-03-01', fecha_fin: '2025-03-31', impactos_personas: 10, periods: ['2025-03'] })
const create = (app: FastifyInstance, token: string) =>
  app.inject({ method: 'POST', url: '/v2/campaigns', headers: { authorization: `Bearer ${token}` }, payload: campaign() }).then((r) => r.statusCode)

/** An admin with a real password, logged in through POST /v2/auth/token, and the company's owner. */
async function loggedInAdmin (t: Test, app: FastifyInstance) {
  const owner = await createUserWithToken(app, { role: 'owner' })
  const email = `${uniqueName('admin')}@example.com`
  const created = await app.inject({ method: 'POST', url: '/v2/auth/users', headers: { authorization: owner.authorization }, payload: { email, password: PASSWORD, role: 'admin' } })
  t.equal(created.statusCode, 201, 'the owner added an admin')
  const response = await login(app, email)
  return { owner, email, id: created.json().id as number, access: response.json().access_token as string, refreshToken: refreshTokenOf(response) as string }
}

/** The status `app` answers for `token` once it changes from 201, polled for at most `ms`. */
async function statusWithin (app: FastifyInstance, token: string, ms: number): Promise<number> {
  const deadline = Date.now() + ms
  for (;;) {
    const status = await create(app, token)
    if (status !== 201 || Date.now() > deadline) return status
    await setTimeout(50)
  }
}

t.test('after logout the earlier access token is refused; a new login works', async (t) => {
  const app = await buildTestApp(t)
  const admin = await loggedInAdmin(t, app)
  t.equal(await create(app, admin.access), 201, 'the access token works before the logout')
  t.equal((await logout(app, admin.refreshToken)).statusCode, 204)
  t.equal(await create(app, admin.access), 401, 'the access token of the ended session is refused at once')
  const again = await login(app, admin.email)
  t.equal(await create(app, again.json().access_token), 201, 'a token issued right after the logout (the same second, too) works')
})

t.test('after a password change every earlier access token is refused; one issued after it works', async (t) => {
  const app = await buildTestApp(t)
  const admin = await loggedInAdmin(t, app)
  const other = (await login(app, admin.email)).json().access_token as string
  t.equal(await create(app, other), 201, 'a second session\'s token works before the change')
  const changed = await app.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization: `Bearer ${admin.access}` }, payload: { current_password: PASSWORD, new_password: NEW_PASSWORD } })
  t.equal(changed.statusCode, 204)
  t.equal(await create(app, admin.access), 401, 'the token that changed the password is refused')
  t.equal(await create(app, other), 401, 'the other session\'s token is refused')
  const fresh = await login(app, admin.email, NEW_PASSWORD)
  t.equal(fresh.statusCode, 200)
  t.equal(await create(app, fresh.json().access_token), 201, 'a token issued after the change works')
})

t.test('after a deactivation the admin\'s earlier access token is refused', async (t) => {
  const app = await buildTestApp(t)
  const admin = await loggedInAdmin(t, app)
  t.equal(await create(app, admin.access), 201)
  const deactivated = await app.inject({ method: 'PATCH', url: `/v2/auth/users/${admin.id}`, headers: { authorization: admin.owner.authorization }, payload: { is_active: false } })
  t.equal(deactivated.statusCode, 200)
  t.equal(await create(app, admin.access), 401, 'the deactivated admin cannot create a campaign')
  t.equal(await create(app, admin.owner.token), 201, 'the owner who deactivated it still can')
})

t.test('a token of another user is not affected by a revocation', async (t) => {
  const app = await buildTestApp(t)
  const first = await loggedInAdmin(t, app)
  const second = await loggedInAdmin(t, app)
  t.equal((await logout(app, first.refreshToken)).statusCode, 204)
  t.equal(await create(app, first.access), 401)
  t.equal(await create(app, second.access), 201, 'another user\'s token still works')
})

const skip = ENGINE !== 'postgres' && 'two instances on one database: PostgreSQL only (TEST_DATABASE_URL); PGlite is one process\'s database'

t.test('another instance on the same database refuses the token within seconds, and one started afterwards too', { skip }, async (t) => {
  const first = await buildTestApp(t)
  const second = await buildTestApp(t)
  const admin = await loggedInAdmin(t, first)
  const changer = await loggedInAdmin(t, first)
  const deactivated = await loggedInAdmin(t, first)
  for (const token of [admin.access, changer.access, deactivated.access]) t.equal(await create(second, token), 201, 'the other instance accepts the tokens first')

  const started = Date.now()
  t.equal((await logout(first, admin.refreshToken, DASHBOARD)).statusCode, 204)
  t.equal(await statusWithin(second, admin.access, 5_000), 401, `logout on one instance: the other refuses the token (after ${Date.now() - started} ms)`)

  const changed = await first.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization: `Bearer ${changer.access}` }, payload: { current_password: PASSWORD, new_password: NEW_PASSWORD } })
  t.equal(changed.statusCode, 204)
  t.equal(await statusWithin(second, changer.access, 5_000), 401, 'password change on one instance: the other refuses the token')

  const patched = await first.inject({ method: 'PATCH', url: `/v2/auth/users/${deactivated.id}`, headers: { authorization: deactivated.owner.authorization }, payload: { is_active: false } })
  t.equal(patched.statusCode, 200)
  t.equal(await statusWithin(second, deactivated.access, 5_000), 401, 'deactivation on one instance: the other refuses the token')

  const third = await buildTestApp(t)
  for (const token of [admin.access, changer.access, deactivated.access]) t.equal(await create(third, token), 401, 'an instance started after the revocations refuses the tokens')
  t.equal(await create(third, admin.owner.token), 201, 'and accepts the others')
})
