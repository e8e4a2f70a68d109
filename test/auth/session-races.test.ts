import t from 'tap'
import pg from 'pg'
import { buildTestApp, ENGINE } from '../helper.js'
import { TEST_DATABASE_URL } from '../support/database.js'
import { hashRefreshToken } from '../../src/modules/auth/tokens.js'
import { PASSWORD, loggedIn, login, logout, refresh, refreshTokenOf } from './support.js'

// Races between a refresh-token rotation and the requests that must end every session (logout,
// password change, deactivation). PGlite has one connection, so its transactions never overlap:
// these need PostgreSQL (TEST_DATABASE_URL). To make the interleaving deterministic, a separate
// connection briefly holds a row lock on the presented refresh token, so the refresh is queued
// first and the session-ending request second; then the lock is released. Nothing else is changed.

const skip = ENGINE !== 'postgres' && 'races between transactions: PostgreSQL only (TEST_DATABASE_URL); PGlite has one connection'

type Answer = Awaited<ReturnType<typeof refresh>>

/**
 * A refresh of `token` and then `other` (the request that must end the session), queued in that
 * order behind a row lock another connection holds on the token; both answers once it is released.
 */
async function refreshThen (app: Parameters<typeof refresh>[0], token: string, other: () => Promise<Answer>): Promise<[Answer, Answer]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  await client.query('begin')
  await client.query('select 1 from refresh_tokens where token_hash = $1 for update', [hashRefreshToken(token)])
  const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid
  /** Waits until `count` backends are waiting on a lock behind this one (directly or in the queue). */
  const waiters = async (count: number) => {
    for (let i = 0; i < 500; i++) {
      await client.query('select pg_stat_clear_snapshot()')
      const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> $1 and wait_event_type = 'Lock' and application_name = 'campaign-analytics-api'`, [pid])
      if (rows[0].n >= count) return
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    throw new Error(`never saw ${count} waiting requests`)
  }
  const rotating = refresh(app, token)
  await waiters(1)
  const ending = other()
  await waiters(2)
  await client.query('commit')
  await client.end()
  return Promise.all([rotating, ending])
}

t.test('a logout that races a refresh ends the session: the refresh\'s new token is refused afterwards', { skip }, async (t) => {
  const app = await buildTestApp(t)
  const session = await loggedIn(app)
  const [rotated, loggedOut] = await refreshThen(app, session.refreshToken, () => logout(app, session.refreshToken))
  t.equal(loggedOut.statusCode, 204, 'logout answered 204')
  t.equal(rotated.statusCode, 200, 'the refresh queued first was answered 200')
  const child = refreshTokenOf(rotated) as string
  const after = await refresh(app, child)
  t.equal(after.statusCode, 401, `after a 204 logout no token of the family refreshes (got ${after.statusCode})`)
})

t.test('replaying a rotated refresh token while the family rotates revokes the whole family, including the token being issued', { skip }, async (t) => {
  // No grace window: inside it a replay is another tab and gets a sibling (refresh-grace.test.ts).
  const app = await buildTestApp(t, { REFRESH_REUSE_GRACE_SECONDS: '0' })
  const session = await loggedIn(app)
  const first = await refresh(app, session.refreshToken)
  t.equal(first.statusCode, 200)
  const current = refreshTokenOf(first) as string
  // The holder of the current token refreshes while the rotated one (session.refreshToken) is replayed.
  const [rotated, replayed] = await refreshThen(app, current, () => refresh(app, session.refreshToken))
  t.equal(replayed.statusCode, 401, 'the replay is refused')
  t.equal(rotated.statusCode, 200, 'the refresh queued first was answered 200')
  const after = await refresh(app, refreshTokenOf(rotated) as string)
  t.equal(after.statusCode, 401, `after reuse was detected no token of the family refreshes (got ${after.statusCode})`)
})

t.test('a password change that races a refresh ends every session: the refresh\'s new token is refused afterwards', { skip }, async (t) => {
  const app = await buildTestApp(t)
  const session = await loggedIn(app)
  const [rotated, changed] = await refreshThen(app, session.refreshToken, () => app.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization: `Bearer ${session.access}` }, payload: { current_password: PASSWORD, new_password: 'Changed-Password-55' } }))
  t.equal(changed.statusCode, 204, 'the password change answered 204')
  t.equal(rotated.statusCode, 200, 'the refresh queued first was answered 200')
  const after = await refresh(app, refreshTokenOf(rotated) as string)
  t.equal(after.statusCode, 401, `a session started with the old password does not survive the change (got ${after.statusCode})`)
})

t.test('deactivating a user while it refreshes ends its sessions: the refresh\'s new token is refused afterwards', { skip }, async (t) => {
  const app = await buildTestApp(t)
  const owner = await loggedIn(app)
  const created = await app.inject({ method: 'POST', url: '/v2/auth/users', headers: { authorization: `Bearer ${owner.access}` }, payload: { email: `viewer-${Date.now()}@example.com`, password: PASSWORD, role: 'viewer' } })
  t.equal(created.statusCode, 201)
  const viewerToken = refreshTokenOf(await login(app, created.json().email)) as string
  const [rotated, deactivated] = await refreshThen(app, viewerToken, () => app.inject({ method: 'PATCH', url: `/v2/auth/users/${created.json().id}`, headers: { authorization: `Bearer ${owner.access}` }, payload: { is_active: false } }))
  t.equal(deactivated.statusCode, 200, 'deactivation answered 200')
  t.equal(rotated.statusCode, 200, 'the refresh queued first was answered 200')
  const left = await app.db.selectFrom('refresh_tokens').select('id').where('user_id', '=', created.json().id).where('revoked_at', 'is', null).execute()
  t.equal(left.length, 0, `no live refresh token of a deactivated user is left (found ${left.length})`)
  // Reactivation must not bring back a session that deactivation ended.
  const reactivated = await app.inject({ method: 'PATCH', url: `/v2/auth/users/${created.json().id}`, headers: { authorization: `Bearer ${owner.access}` }, payload: { is_active: true } })
  t.equal(reactivated.statusCode, 200)
  const after = await refresh(app, refreshTokenOf(rotated) as string)
  t.equal(after.statusCode, 401, `the session from before the deactivation stays ended after reactivation (got ${after.statusCode})`)
})
