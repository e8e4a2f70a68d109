import t from 'tap'
import { buildTestApp, createUserWithToken, TEST_SECRET } from '../helper.js'
import { decodeCursor, deriveCursorKey, encodeCursor, filtersHash } from '../../src/modules/campaigns/cursor.js'
import { insertCampaigns } from '../support/campaign-fixtures.js'
import { HttpProblem } from '../../src/errors.js'
import { get } from './support.js'

const specs = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ name: `${prefix}${String(i).padStart(3, '0')}`, impactos_personas: i }))

async function firstCursor (app: Awaited<ReturnType<typeof buildTestApp>>, authorization: string, query = 'limit=2'): Promise<string> {
  const response = await get(app, authorization, `/v2/campaigns?${query}`)
  return response.json().next_cursor
}

t.test('a tampered, forged or malformed cursor is a 400 problem, never a 500', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  await insertCampaigns(app.db, user.companyId, specs(6, 'a'))
  const cursor = await firstCursor(app, user.authorization)
  const [body, signature] = cursor.split('.')
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString())
  const reencoded = (changes: object) => `${Buffer.from(JSON.stringify({ ...payload, ...changes })).toString('base64url')}.${signature}`
  const otherKey = deriveCursorKey('another-secret-key-of-enough-length-0123456789')
  const bad = {
    'payload edited, signature kept': reencoded({ k: 'zzz' }),
    'id edited': reencoded({ i: 1 }),
    'signature flipped': `${body}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`,
    'signature truncated': `${body}.${signature.slice(0, 10)}`,
    'forged with another key': encodeCursor(otherKey, 'name', payload.h, { key: 'a000', id: 1 }),
    'no signature': body,
    'three parts': `${cursor}.x`,
    'not base64 json': `%%%.${signature}`,
    'empty parts': '.',
    unicode: 'ñ.ñ'
  }
  for (const [what, value] of Object.entries(bad)) {
    const response = await get(app, user.authorization, `/v2/campaigns?limit=2&cursor=${encodeURIComponent(value)}`)
    t.equal(response.statusCode, 400, what)
    t.equal(response.json().errors?.[0]?.field, 'querystring.cursor', `${what}: names the cursor`)
  }
})

t.test('a cursor only works with the sort and filters it was made for', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'viewer' })
  await insertCampaigns(app.db, user.companyId, specs(6, 'b'))
  const cursor = encodeURIComponent(await firstCursor(app, user.authorization, 'limit=2&sort=name'))
  t.equal((await get(app, user.authorization, `/v2/campaigns?limit=3&sort=name&cursor=${cursor}`)).statusCode, 200, 'another limit is fine')
  for (const query of ['sort=-name', 'sort=alcance', 'sort=name&q=b', 'sort=name&tipo_campania=mensual', 'sort=name&start_date=2025-01-01', 'sort=name&zm=X', 'sort=name&estado=Y']) {
    const response = await get(app, user.authorization, `/v2/campaigns?limit=2&${query}&cursor=${cursor}`)
    t.equal(response.statusCode, 400, query)
    t.match(response.json().detail, /another sort or other filters/, query)
  }
})

t.test('another company\'s cursor is refused and never shows its rows', async (t) => {
  const app = await buildTestApp(t)
  const alice = await createUserWithToken(app, { role: 'viewer' })
  const bob = await createUserWithToken(app, { role: 'viewer' })
  await insertCampaigns(app.db, alice.companyId, specs(6, 'alice'))
  await insertCampaigns(app.db, bob.companyId, specs(6, 'bob'))
  const cursor = encodeURIComponent(await firstCursor(app, alice.authorization))
  t.equal((await get(app, bob.authorization, `/v2/campaigns?limit=2&cursor=${cursor}`)).statusCode, 400)
  const bobsPage = await get(app, bob.authorization, '/v2/campaigns?limit=100')
  t.ok(bobsPage.json().data.every((c: { name: string }) => c.name.startsWith('bob')), 'only bob\'s campaigns')
  t.equal(bobsPage.json().data.length, 6)
})

t.test('decodeCursor checks the key shape of each sort', async (t) => {
  const key = deriveCursorKey(TEST_SECRET)
  const hash = filtersHash(1, 'fecha_inicio', {})
  const good = encodeCursor(key, 'fecha_inicio', hash, { key: '2025-01-02', id: 3 })
  t.same(decodeCursor(key, good, 'fecha_inicio', hash), { key: '2025-01-02', id: 3 })
  const wrongShape = encodeCursor(key, 'fecha_inicio', hash, { key: 42, id: 3 })
  t.throws(() => decodeCursor(key, wrongShape, 'fecha_inicio', hash), new HttpProblem(400, 'Invalid cursor: it is malformed. Start again without a cursor.'))
  const nullKey = encodeCursor(key, 'alcance', filtersHash(1, 'alcance', {}), { key: null, id: 3 })
  t.same(decodeCursor(key, nullKey, 'alcance', filtersHash(1, 'alcance', {})), { key: null, id: 3 })
})

t.test('every route requires a valid access token', async (t) => {
  const app = await buildTestApp(t)
  const routes: Array<[string, string]> = [['GET', '/v2/campaigns'], ['GET', '/v2/campaigns/x'], ['POST', '/v2/campaigns'], ['PATCH', '/v2/campaigns/x'], ['DELETE', '/v2/campaigns/x'],
    ['GET', '/v2/campaigns/x/summary'], ['GET', '/v2/campaigns/x/periods/summary'], ['GET', '/v2/campaigns/x/sites/summary'], ['GET', '/v2/analytics/overview']]
  for (const [method, url] of routes) {
    for (const authorization of [undefined, 'Bearer nonsense']) {
      const response = await app.inject({ method: method as 'GET', url, headers: authorization ? { authorization } : {} })
      t.equal(response.statusCode, 401, `${method} ${url} with ${authorization ?? 'no token'}`)
    }
  }
})
