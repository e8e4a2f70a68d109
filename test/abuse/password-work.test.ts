import t from 'tap'
import { buildTestApp } from '../helper.js'
import { PASSWORD, loggedIn, login } from '../auth/support.js'
import { bystander, median, summary, timed, type Timed } from './bystander.js'

// Finding 2 of issue 22: argon2 work for a logged-in caller was unthrottled.
const NEW_PASSWORD = 'Persimmon-Trombone-77'

const changePassword = (app: Awaited<ReturnType<typeof buildTestApp>>, access: string, current: string) =>
  app.inject({ method: 'POST', url: '/v2/auth/password', headers: { authorization: `Bearer ${access}` }, payload: { current_password: current, new_password: NEW_PASSWORD } })

t.test('the 11th password change attempt within 15 minutes answers 429 with Retry-After, the right password too', async (t) => {
  const app = await buildTestApp(t)
  const victim = await loggedIn(app)
  const neighbour = await loggedIn(app)
  for (let i = 1; i <= 10; i++) t.equal((await changePassword(app, victim.access, `wrong-guess-${i}`)).statusCode, 403, `wrong guess ${i}: 403`)
  const eleventh = await changePassword(app, victim.access, 'wrong-guess-11')
  t.equal(eleventh.statusCode, 429)
  t.equal(eleventh.headers['content-type'], 'application/problem+json; charset=utf-8')
  const retryAfter = Number(eleventh.headers['retry-after'])
  t.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter} s`)
  t.equal((await changePassword(app, victim.access, PASSWORD)).statusCode, 429, 'the right password is refused too: guessing stops')
  t.equal((await login(app, victim.email)).statusCode, 200, 'the password is unchanged')
  t.equal((await changePassword(app, neighbour.access, PASSWORD)).statusCode, 204, 'another account changes its password')
})

t.test('a burst of concurrent guesses is cut at the limit before argon2', async (t) => {
  const app = await buildTestApp(t)
  const victim = await loggedIn(app)
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => changePassword(app, victim.access, `wrong-guess-${i}`)))
  const codes = answers.map((a) => a.statusCode)
  t.equal(codes.filter((c) => c === 403).length, 10, `10 guesses checked (${codes.join(',')})`)
  t.equal(codes.filter((c) => c === 429).length, 30, 'the other 30 refused')
})

t.test('a bystander\'s login stays fast while another user floods POST /auth/password', async (t) => {
  const app = await buildTestApp(t)
  const attacker = await loggedIn(app)
  const { email } = await loggedIn(app)
  const bystanderLogin = () => timed(app, () => login(app, email))
  await bystanderLogin()
  const unloaded: Timed[] = []
  for (let i = 0; i < 5; i++) unloaded.push(await bystanderLogin())
  const base = median(unloaded.map((s) => s.ms))

  // The finding's flood: 96 concurrent guesses with one stolen access token.
  const flood = Promise.all(Array.from({ length: 96 }, (_, i) => timed(app, () => changePassword(app, attacker.access, `wrong-guess-${i}`))))
  const [seen, answers] = await Promise.all([bystander(bystanderLogin, flood), flood])
  const during = summary(seen)
  t.comment(`unloaded login p50 ${base.toFixed(0)} ms; during the flood ${JSON.stringify(during)}; flood answers ${JSON.stringify(summary(answers).byStatus)}`)
  t.same(during.byStatus, { 200: seen.length }, 'every login of the bystander succeeded')
  // The old code ran all 96 verifications ahead of the bystander's (69 ms became 4.6 s); now 10 run.
  const bound = 1000 + 10 * base
  t.ok(during.max < bound, `the bystander's slowest login (${during.max} ms) stays under ${Math.round(bound)} ms`)
})

t.test('argon2 work beyond the queue answers 503 with Retry-After at once', async (t) => {
  const app = await buildTestApp(t, { ARGON2_CONCURRENCY: '1', ARGON2_QUEUE_MAX: '2' })
  const users = await Promise.all(Array.from({ length: 4 }, () => loggedIn(app)))
  const answers = await Promise.all(users.flatMap((u) => Array.from({ length: 5 }, (_, i) => timed(app, () => changePassword(app, u.access, `wrong-guess-${i}`)))))
  const refused = answers.filter((a) => a.status === 503)
  t.ok(refused.length >= 10, `most of 20 concurrent verifications are refused by a queue of 1 + 2 (${JSON.stringify(summary(answers).byStatus)})`)
  t.ok(refused.every((a) => Number(a.retryAfter) > 0), 'with Retry-After')
  t.ok(answers.filter((a) => a.status === 403).length >= 3, 'those admitted were checked')
  t.equal((await login(app, users[0].email)).statusCode, 200, 'once the flood is over, logins work')
})
