import t from 'tap'
import argon2 from 'argon2'
import { buildTestApp } from '../helper.js'
import { PASSWORD, login, register } from './support.js'

// Concurrent requests on one account's password: both engines.

t.test('two concurrent password changes with the same current password: exactly one succeeds, the other is a 403 problem', async (t) => {
  const app = await buildTestApp(t)
  const { email } = await register(app)
  const access = (await login(app, email)).json().access_token as string
  const authorization = `Bearer ${access}`
  const change = (newPassword: string) => app.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization }, payload: { current_password: PASSWORD, new_password: newPassword } })
  const [a, b] = await Promise.all([change('First-New-Password-81'), change('Second-New-Password-92')])
  const codes = [a.statusCode, b.statusCode].sort()
  t.same(codes, [204, 403], `one change wins; the other presented a current password that was no longer current (got ${codes.join(', ')})`)
  // Whatever answered 204 last must be the password: a client told "changed" can log in with it.
  const firstWorks = (await login(app, email, 'First-New-Password-81')).statusCode === 200
  const secondWorks = (await login(app, email, 'Second-New-Password-92')).statusCode === 200
  if (a.statusCode === 204) t.ok(firstWorks, 'the first 204 password logs in')
  if (b.statusCode === 204) t.ok(secondWorks, 'the second 204 password logs in')
})

t.test('a login that rehashes the old password does not undo a concurrent password change', async (t) => {
  const app = await buildTestApp(t)
  const NEW = 'Brand-New-Password-73'
  // The login starts a little after the change (0-30 ms), so its rehash is written after the change commits.
  for (const delay of [0, 5, 10, 15, 20, 30]) {
    const { email, user } = await register(app)
    // A hash made with older (weaker) argon2 parameters: the next login rehashes it (needsRehash).
    const legacy = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 })
    await app.db.updateTable('users').set({ password_hash: legacy }).where('id', '=', user.id).execute()
    const access = app.signAccessToken({ id: user.id, companyId: user.company_id, role: 'owner' })
    const change = app.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization: `Bearer ${access}` }, payload: { current_password: PASSWORD, new_password: NEW } })
    const oldLogin = new Promise((resolve) => setTimeout(resolve, delay)).then(() => login(app, email, PASSWORD))
    const [changed] = await Promise.all([change, oldLogin])
    t.equal(changed.statusCode, 204, `delay ${delay} ms: the password change answered 204`)
    t.equal((await login(app, email, NEW)).statusCode, 200, `delay ${delay} ms: the new password (answered 204) logs in`)
    t.equal((await login(app, email, PASSWORD)).statusCode, 401, `delay ${delay} ms: the old password no longer logs in`)
  }
})
