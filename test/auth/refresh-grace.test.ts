import t from 'tap'
import { sql } from 'kysely'
import { buildTestApp } from '../helper.js'
import { hashRefreshToken } from '../../src/modules/auth/tokens.js'
import { loggedIn, refresh, refreshTokenOf } from './support.js'

// Two tabs share one cookie jar and refresh independently: the second presentation of a token
// rotated a moment ago is not a replay (REFRESH_REUSE_GRACE_SECONDS). Past the window it is.

const me = (app: Awaited<ReturnType<typeof buildTestApp>>, access: string) =>
  app.inject({ url: '/v2/auth/me', headers: { authorization: `Bearer ${access}` } })

t.test('inside the grace window both tabs end with working sessions of the same family', async (t) => {
  const app = await buildTestApp(t)
  const { refreshToken, user } = await loggedIn(app)
  const [tabA, tabB] = await Promise.all([refresh(app, refreshToken), refresh(app, refreshToken)])
  t.equal(tabA.statusCode, 200, tabA.body)
  t.equal(tabB.statusCode, 200, tabB.body)
  const [cookieA, cookieB] = [refreshTokenOf(tabA)!, refreshTokenOf(tabB)!]
  t.not(cookieA, cookieB, 'each tab gets its own token')
  t.equal((await me(app, tabA.json().access_token)).statusCode, 200)
  t.equal((await me(app, tabB.json().access_token)).statusCode, 200)

  // Both go on refreshing.
  const nextA = await refresh(app, cookieA)
  const nextB = await refresh(app, cookieB)
  t.equal(nextA.statusCode, 200, 'tab A refreshes again')
  t.equal(nextB.statusCode, 200, 'tab B refreshes again')
  const families = await app.db.selectFrom('refresh_tokens').select('family_id').distinct().where('user_id', '=', user.id).execute()
  t.equal(families.length, 1, 'one family: revoking it ends both tabs')
})

t.test('a sequential second presentation inside the window also gets a session', async (t) => {
  const app = await buildTestApp(t)
  const { refreshToken } = await loggedIn(app)
  t.equal((await refresh(app, refreshToken)).statusCode, 200)
  const second = await refresh(app, refreshToken)
  t.equal(second.statusCode, 200, second.body)
})

t.test('a rotated token presented after the window revokes the whole family (RFC 9700 §4.14.2)', async (t) => {
  const app = await buildTestApp(t)
  const { refreshToken } = await loggedIn(app)
  const first = await refresh(app, refreshToken)
  const child = refreshTokenOf(first)!
  // The window is counted on the database's clock from the rotation: move the rotation back past it.
  await app.db.updateTable('refresh_tokens').set({ used_at: sql`now() - interval '31 seconds'` })
    .where('token_hash', '=', hashRefreshToken(refreshToken)).execute()
  const replay = await refresh(app, refreshToken)
  t.equal(replay.statusCode, 401, 'the replay is refused')
  t.equal((await refresh(app, child)).statusCode, 401, 'and the live child is revoked with its family')
})

t.test('the window is bounded: a token presented again and again stops yielding sessions', async (t) => {
  const app = await buildTestApp(t)
  const { refreshToken } = await loggedIn(app)
  const answers: number[] = []
  for (let i = 0; i < 7; i++) answers.push((await refresh(app, refreshToken)).statusCode)
  t.same(answers.slice(0, 4), [200, 200, 200, 200], 'the rotation and a few other tabs')
  t.ok(answers.slice(4).every((status) => status === 401), `then a replay: ${answers}`)
})

t.test('REFRESH_REUSE_GRACE_SECONDS=0 disables the window: any second presentation revokes the family', async (t) => {
  const app = await buildTestApp(t, { REFRESH_REUSE_GRACE_SECONDS: '0' })
  const { refreshToken } = await loggedIn(app)
  const first = await refresh(app, refreshToken)
  t.equal(first.statusCode, 200)
  t.equal((await refresh(app, refreshToken)).statusCode, 401)
  t.equal((await refresh(app, refreshTokenOf(first))).statusCode, 401, 'the family is revoked')
})
