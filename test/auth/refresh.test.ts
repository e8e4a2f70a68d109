import t from 'tap'
import { sql } from 'kysely'
import { buildTestApp } from '../helper.js'
import { hashRefreshToken } from '../../src/modules/auth/tokens.js'
import { AUTH_EVENTS } from '../../src/modules/auth/events.js'
import { PASSWORD, loggedIn, login, refresh, refreshTokenOf } from './support.js'

t.test('replaying a rotated refresh token revokes its whole family', async (t) => {
  const app = await buildTestApp(t)
  const reuses: unknown[] = []
  const listener = (message: unknown) => reuses.push(message)
  AUTH_EVENTS.refreshReuse.subscribe(listener)
  t.teardown(() => { AUTH_EVENTS.refreshReuse.unsubscribe(listener) })

  const session = await loggedIn(app)
  const other = refreshTokenOf(await login(app, session.email)) as string
  const rotated = await refresh(app, session.refreshToken)
  t.equal(rotated.statusCode, 200)
  const newer = refreshTokenOf(rotated) as string
  // Past REFRESH_REUSE_GRACE_SECONDS (inside it, a second tab: refresh-grace.test.ts).
  await app.db.updateTable('refresh_tokens').set({ used_at: sql`now() - interval '1 minute'` })
    .where('token_hash', '=', hashRefreshToken(session.refreshToken)).execute()

  const replay = await refresh(app, session.refreshToken)
  t.equal(replay.statusCode, 401, 'the old token is refused')
  t.equal((await refresh(app, newer)).statusCode, 401, 'the newer token of the same family is dead too')
  t.equal(reuses.length, 1, 'one reuse event for metrics')
  t.equal((reuses[0] as { userId: number }).userId, session.user.id)
  t.equal((await refresh(app, other)).statusCode, 200, 'another login (another family) is untouched')
})

t.test('without a grace window, two concurrent refreshes with one token: exactly one succeeds', async (t) => {
  // Inside the default window the others get sessions of the same family: refresh-grace.test.ts.
  const app = await buildTestApp(t, { REFRESH_REUSE_GRACE_SECONDS: '0' })
  const session = await loggedIn(app)
  const results = await Promise.all([refresh(app, session.refreshToken), refresh(app, session.refreshToken), refresh(app, session.refreshToken)])
  const codes = results.map((r) => r.statusCode).sort()
  t.same(codes, [200, 401, 401])
  const children = await app.db.selectFrom('refresh_tokens').select('id').where('parent_id', 'is not', null).where('user_id', '=', session.user.id).execute()
  t.equal(children.length, 1, 'one child token was issued')
  // The losers presented a token that was used by then: with no grace window that is a replay, so the family ends.
  const winner = results.find((r) => r.statusCode === 200)
  t.equal((await refresh(app, refreshTokenOf(winner!))).statusCode, 401, 'the family is revoked')
})

t.test('idle expiry and the absolute family lifetime', async (t) => {
  const app = await buildTestApp(t)
  const idle = await loggedIn(app)
  await app.db.updateTable('refresh_tokens').set({ expires_at: sql`now() - interval '1 second'` })
    .where('token_hash', '=', hashRefreshToken(idle.refreshToken)).execute()
  t.equal((await refresh(app, idle.refreshToken)).statusCode, 401, 'idle-expired')

  const family = refreshTokenOf(await login(app, idle.email)) as string
  const row = await app.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hashRefreshToken(family)).executeTakeFirstOrThrow()
  const lifetimeDays = (new Date(row.family_expires_at).getTime() - new Date(row.created_at as unknown as Date).getTime()) / 86_400_000
  t.ok(Math.abs(lifetimeDays - 30) < 0.01, 'the family lives 30 days')
  const idleDays = (new Date(row.expires_at).getTime() - new Date(row.created_at as unknown as Date).getTime()) / 86_400_000
  t.ok(Math.abs(idleDays - 7) < 0.01, 'a token lives 7 idle days')

  const next = await refresh(app, family)
  const child = await app.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hashRefreshToken(refreshTokenOf(next) as string)).executeTakeFirstOrThrow()
  t.equal(new Date(child.family_expires_at).getTime(), new Date(row.family_expires_at).getTime(), 'rotation does not extend the family')

  // Near the end of the family, the child's idle expiry is capped by the family deadline.
  await app.db.updateTable('refresh_tokens').set({ family_expires_at: sql`now() + interval '1 hour'` }).where('family_id', '=', row.family_id).execute()
  const capped = await refresh(app, refreshTokenOf(next) as string)
  t.equal(capped.statusCode, 200)
  const cappedRow = await app.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hashRefreshToken(refreshTokenOf(capped) as string)).executeTakeFirstOrThrow()
  t.ok(new Date(cappedRow.expires_at).getTime() <= new Date(cappedRow.family_expires_at).getTime(), 'idle expiry capped by the family')

  await app.db.updateTable('refresh_tokens').set({ family_expires_at: sql`now() - interval '1 second'` }).where('family_id', '=', row.family_id).execute()
  t.equal((await refresh(app, refreshTokenOf(capped) as string)).statusCode, 401, 'the family is over, whatever the idle expiry says')
})

t.test('a password change ends every session', async (t) => {
  const app = await buildTestApp(t)
  const session = await loggedIn(app)
  const second = refreshTokenOf(await login(app, session.email)) as string
  const authorization = `Bearer ${session.access}`
  const wrong = await app.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization }, payload: { current_password: 'not-it-at-all', new_password: 'Another-Long-Pass-7' } })
  t.equal(wrong.statusCode, 403, 'the current password is required')
  const common = await app.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization }, payload: { current_password: PASSWORD, new_password: 'password1234' } })
  t.equal(common.statusCode, 400, 'a common new password is refused')
  const changed = await app.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization }, payload: { current_password: PASSWORD, new_password: 'Another-Long-Pass-7' } })
  t.equal(changed.statusCode, 204)
  t.equal((await refresh(app, session.refreshToken)).statusCode, 401)
  t.equal((await refresh(app, second)).statusCode, 401)
  t.equal((await login(app, session.email)).statusCode, 401, 'the old password is gone')
  t.equal((await login(app, session.email, 'Another-Long-Pass-7')).statusCode, 200)
})

t.test('deactivation ends every session and login', async (t) => {
  const app = await buildTestApp(t)
  const owner = await loggedIn(app)
  const created = await app.inject({ method: 'POST', url: '/v2/auth/users', headers: { authorization: `Bearer ${owner.access}` }, payload: { email: `viewer-${owner.email}`, password: PASSWORD } })
  t.equal(created.statusCode, 201)
  const viewerLogin = await login(app, `viewer-${owner.email}`)
  t.equal(viewerLogin.statusCode, 200)
  // Anything but a boolean is refused, and changes nothing: null was once read as false.
  for (const notBoolean of [null, 0, 'false', [false]]) {
    const refused = await app.inject({ method: 'PATCH', url: `/v2/auth/users/${created.json().id}`, headers: { authorization: `Bearer ${owner.access}` }, payload: { is_active: notBoolean } })
    t.equal(refused.statusCode, 400, `is_active: ${JSON.stringify(notBoolean)}`)
    t.match(refused.json().errors, [{ field: 'body.is_active' }])
  }
  t.equal((await login(app, `viewer-${owner.email}`)).statusCode, 200, 'still active')
  const deactivated = await app.inject({ method: 'PATCH', url: `/v2/auth/users/${created.json().id}`, headers: { authorization: `Bearer ${owner.access}` }, payload: { is_active: false } })
  t.equal(deactivated.statusCode, 200)
  t.equal(deactivated.json().is_active, false)
  t.equal((await refresh(app, refreshTokenOf(viewerLogin))).statusCode, 401)
  t.equal((await login(app, `viewer-${owner.email}`)).statusCode, 401)
  const me = await app.inject({ url: '/v2/auth/me', headers: { authorization: `Bearer ${viewerLogin.json().access_token}` } })
  t.equal(me.statusCode, 401, '/v2/auth/me reads the account, so it stops at once')
  const self = await app.inject({ method: 'PATCH', url: `/v2/auth/users/${owner.user.id}`, headers: { authorization: `Bearer ${owner.access}` }, payload: { is_active: false } })
  t.equal(self.statusCode, 409, 'owners cannot lock themselves out')
})
