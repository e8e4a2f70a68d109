import t from 'tap'
import argon2 from 'argon2'
import commonPasswords from '../../src/modules/auth/common-passwords.json' with { type: 'json' }
import { ARGON2_OPTIONS, hashPassword, needsRehash, passwordProblem, verifyPassword } from '../../src/modules/auth/passwords.js'
import { buildTestApp } from '../helper.js'
import { PASSWORD, login, refresh, refreshTokenOf, register } from './support.js'

/** The PHC string's parameters, e.g. { m: 19456, t: 2, p: 1 }, whatever their order. */
function parameters (hash: string): Record<string, number> {
  const [, algorithm, , params] = hash.split('$')
  return { [algorithm]: 1, ...Object.fromEntries(params.split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)])) }
}

t.test('argon2id at or above the OWASP minimum', async (t) => {
  t.equal(ARGON2_OPTIONS.type, argon2.argon2id)
  t.ok(ARGON2_OPTIONS.memoryCost >= 19456, 'm >= 19 MiB')
  t.ok(ARGON2_OPTIONS.timeCost >= 2, 't >= 2')
  t.ok(ARGON2_OPTIONS.parallelism >= 1, 'p >= 1')
  const hash = await hashPassword(PASSWORD)
  t.same(parameters(hash), { argon2id: 1, m: 19456, t: 2, p: 1 })
  t.equal(await verifyPassword(hash, PASSWORD), true)
  t.equal(await verifyPassword(hash, 'something-else'), false)
  t.equal(await verifyPassword(undefined, PASSWORD), false, 'no hash (unknown user) never verifies')
  t.equal(await verifyPassword('not-a-hash', PASSWORD), false, 'a malformed stored hash is a failure, not an exception')
  t.equal(needsRehash(hash), false)
})

t.test('the password policy', async (t) => {
  t.ok(commonPasswords.length >= 2000 && commonPasswords.length <= 20000, `${commonPasswords.length} common passwords shipped`)
  t.ok(commonPasswords.every((p) => p.length >= 8 && p.length <= 128 && p === p.toLowerCase()), 'stored lower-case, within the length rule')
  for (const common of ['password', 'Password1', '12345678', 'qwerty123', 'iloveyou', 'Football2024', 'P@ssw0rd']) {
    t.match(passwordProblem(common), /common/, `${common} is refused`)
  }
  t.match(passwordProblem('short'), /8 to 128/)
  t.match(passwordProblem('é'.repeat(129)), /8 to 128/, 'counted in characters')
  t.equal(passwordProblem('é'.repeat(128)), undefined)
  t.match(passwordProblem('ana.lopez@example.com', 'ana.lopez@example.com'), /email/)
  t.equal(passwordProblem(PASSWORD), undefined)
})

t.test('a hash with older parameters is upgraded at the next login', async (t) => {
  const app = await buildTestApp(t)
  const { email, user } = await register(app)
  const weak = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 8192, timeCost: 1, parallelism: 1 })
  t.equal(needsRehash(weak), true)
  await app.db.updateTable('users').set({ password_hash: weak }).where('id', '=', user.id).execute()
  const before = await app.db.selectFrom('users').select('password_changed_at').where('id', '=', user.id).executeTakeFirstOrThrow()
  t.equal((await login(app, email)).statusCode, 200)
  const row = await app.db.selectFrom('users').select(['password_hash', 'password_changed_at']).where('id', '=', user.id).executeTakeFirstOrThrow()
  t.same(parameters(row.password_hash), { argon2id: 1, m: 19456, t: 2, p: 1 }, 'rehashed with the current parameters')
  t.equal((await login(app, email)).statusCode, 200, 'and still verifies')
  t.same(row.password_changed_at, before.password_changed_at, 'a rehash is not a password change')
})

t.test('no password, token or hash reaches a log line', async (t) => {
  const lines: string[] = []
  const app = await buildTestApp(t, { LOG_LEVEL: 'trace' }, { logStream: { write: (line: string) => { lines.push(line) } } })
  const { email, user } = await register(app)
  const loggedIn = await login(app, email)
  const wrong = await login(app, email, 'Wrong-Password-99')
  t.equal(wrong.statusCode, 401)
  const rotated = await refresh(app, refreshTokenOf(loggedIn))
  const stored = await app.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()
  const secrets = [PASSWORD, 'Wrong-Password-99', loggedIn.json().access_token, refreshTokenOf(loggedIn), rotated.json().access_token, refreshTokenOf(rotated), stored.password_hash]
  t.ok(lines.length > 5, `${lines.length} log lines written`)
  const log = lines.join('\n')
  for (const secret of secrets) t.notOk(log.includes(String(secret)), 'a secret is absent from the logs')
})
