import diagnosticsChannel from 'node:diagnostics_channel'
import t, { type Test } from 'tap'
import type { OverviewType } from '../../schemas/analytics.js'
import { rebuildFlights } from '../../src/modules/analytics/flights-check.js'
import { createOverviewCache } from '../../src/modules/analytics/overview-cache.js'
import { METRIC_CHANNELS } from '../../src/plugins/metrics-events.js'
import { buildTestApp, createUserWithToken, type TestUser } from '../helper.js'
import { parseExposition } from '../support/prometheus.js'

// The overview's answers are kept per company, filters and data version (db/migrations/0008): these
// check that a kept answer is served only to its company and only until that company's next write.

/** The overview cache's hits and misses while the test runs, as overview_cache_lookups_total counts them. */
function countLookups (t: Test) {
  const seen: string[] = []
  const listener = (message: unknown) => seen.push((message as { result: string }).result)
  diagnosticsChannel.subscribe(METRIC_CHANNELS.overviewCache, listener)
  t.teardown(() => diagnosticsChannel.unsubscribe(METRIC_CHANNELS.overviewCache, listener))
  return () => seen.splice(0)
}

async function setUp (t: Test, variables: Record<string, string> = {}) {
  const app = await buildTestApp(t, variables)
  const lookups = countLookups(t)
  const company = async (impactos: number) => {
    const user = await createUserWithToken(app, { role: 'admin' })
    const created = await app.inject({ method: 'POST', url: '/v2/campaigns', headers: { authorization: user.authorization }, payload: { name: 'Uno', tipo_campania: 'mensual', fecha_inicio: '2025-05-01', fecha_fin: '2025-05-31', impactos_personas: impactos } })
    t.equal(created.statusCode, 201)
    return user
  }
  const overview = async (user: TestUser, query = '') => {
    const response = await app.inject({ url: `/v2/analytics/overview${query}`, headers: { authorization: user.authorization } })
    t.equal(response.statusCode, 200)
    return response.json() as OverviewType
  }
  const patch = async (user: TestUser, payload: object) => {
    t.equal((await app.inject({ method: 'PATCH', url: '/v2/campaigns/Uno', headers: { authorization: user.authorization }, payload })).statusCode, 200)
  }
  return { app, lookups, company, overview, patch }
}

t.test('an overview asked again is the kept answer until the company writes; the next one has the write', async (t) => {
  const { app, lookups, company, overview, patch } = await setUp(t)
  const user = await company(100)
  t.equal((await overview(user)).totals.impactos_personas, 100)
  t.equal((await overview(user)).totals.impactos_personas, 100)
  t.same(lookups(), ['miss', 'hit'])
  await patch(user, { impactos_personas: 250 })
  t.equal((await overview(user)).totals.impactos_personas, 250, 'the write is in the next answer')
  t.equal((await overview(user, '?tipo_campania=mensual')).totals.impactos_personas, 250, 'and in every filter\'s')
  t.equal((await overview(user)).totals.impactos_personas, 250)
  t.same(lookups(), ['miss', 'miss', 'hit'])
  const { samples } = parseExposition((await app.inject('/metrics')).body)
  const counted = (result: string) => samples.find((s) => s.name === 'overview_cache_lookups_total' && s.labels.result === result)?.value
  t.same([counted('hit'), counted('miss')], [2, 3], 'overview_cache_lookups_total counts them')
})

t.test('another company never gets this one\'s kept answer, and its writes keep this one\'s', async (t) => {
  const { lookups, company, overview, patch } = await setUp(t)
  const mine = await company(100)
  const theirs = await company(7)
  t.equal((await overview(mine, '?tipo_campania=mensual')).totals.impactos_personas, 100)
  t.equal((await overview(theirs, '?tipo_campania=mensual')).totals.impactos_personas, 7, 'the same filters, its own figures')
  t.same(lookups(), ['miss', 'miss'])
  await patch(theirs, { impactos_personas: 8 })
  t.equal((await overview(mine, '?tipo_campania=mensual')).totals.impactos_personas, 100)
  t.equal((await overview(theirs, '?tipo_campania=mensual')).totals.impactos_personas, 8)
  t.same(lookups(), ['hit', 'miss'], 'their write did not cost mine its kept answer')
})

t.test('the rebuild\'s corrections reach the next overview', async (t) => {
  const { app, company, overview } = await setUp(t)
  const user = await company(100)
  // Made wrong behind the triggers' back, as a restore without them would leave it, and served so.
  await app.db.updateTable('campaign_flight_totals').set({ impactos_personas: 5 }).where('company_id', '=', user.companyId).execute()
  t.equal((await overview(user)).totals.impactos_personas, 5)
  t.equal((await rebuildFlights(app.db, user.companyId)).length, 1)
  t.equal((await overview(user)).totals.impactos_personas, 100)
})

t.test('OVERVIEW_CACHE_MB=0 keeps nothing: every overview is computed', async (t) => {
  const { lookups, company, overview } = await setUp(t, { OVERVIEW_CACHE_MB: '0' })
  const user = await company(100)
  t.same(await overview(user), await overview(user))
  t.same(lookups(), ['miss', 'miss'])
})

t.test('the cache: one computation for concurrent requests, and an answer larger than its share is served but not kept', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app)
  const answer = (rows: number): OverviewType => ({
    totals: { campaigns: rows, impactos_personas: 0, impactos_vehiculos: 0, alcance: 0 },
    by_tipo: [],
    by_month: [],
    by_zm: Array.from({ length: rows }, (_, i) => ({ zm: `Z${i}`, campaigns: 1, sites: 1, impactos: 1 }))
  })
  // 16 KiB: one answer may take 1 KiB, a few rows.
  const cached = createOverviewCache(app.readDb, 16 * 1024)
  let computed = 0
  const compute = (rows: number) => async () => { computed++; await new Promise((resolve) => setTimeout(resolve, 20)); return answer(rows) }
  const answers = await Promise.all(Array.from({ length: 5 }, () => cached(user.companyId, {}, compute(2))))
  t.same(answers, Array(5).fill(answer(2)))
  t.equal(computed, 1, 'five concurrent requests, one computation')
  t.same(await cached(user.companyId, {}, compute(2)), answer(2))
  t.equal(computed, 1, 'kept')
  t.same(await cached(user.companyId, { q: 'big' }, compute(100)), answer(100))
  t.same(await cached(user.companyId, { q: 'big' }, compute(100)), answer(100))
  t.equal(computed, 3, 'too large to keep: computed each time')
  // Another company's flood of distinct filters pushes out an answer while it is computed: its
  // requests still get it.
  const other = await createUserWithToken(app)
  const slow = cached(user.companyId, { q: 'slow' }, compute(1))
  await Promise.all(Array.from({ length: 40 }, (_, i) => cached(other.companyId, { q: `flood ${i}` }, compute(1))))
  t.same(await slow, answer(1))
})
