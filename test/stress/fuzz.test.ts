import t from 'tap'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { seedFuzzData } from './support/fuzz-data.js'
import { failureDiagnostic, fuzzContext, fuzzOperation, tagAnsweringRoute } from './support/fuzz-runner.js'

// Every operation of the app's own OpenAPI document gets FUZZ_RUNS generated requests (valid,
// boundary and invalid parameters and bodies, wrong content types, with and without credentials).
// Each answer must be a non-5xx the operation declares, matching its declared schema; every 4xx a problem document.
// New routes are covered as soon as they are in the document.
const RUNS = Number(process.env.FUZZ_RUNS ?? 200)
const SEED = Number(process.env.FUZZ_SEED ?? 20261128)

t.test('every operation answers generated input as its contract says', async (t) => {
  // High limits: the fuzzer would otherwise spend its budget on 429s (rate limits are tested on their own).
  const app = await buildTestApp(t, { LOGIN_RATE_LIMIT_PER_IP: '1000000' })
  tagAnsweringRoute(app)
  await app.ready()
  const user = await createUserWithToken(app, { role: 'owner' })
  const ctx = fuzzContext(app, user.token, await seedFuzzData(app, user))
  t.ok(ctx.operations.length >= 2, `the document lists ${ctx.operations.length} operations`)

  const started = Date.now()
  const lines: string[] = []
  let total = 0
  for (const op of ctx.operations) {
    const outcome = await fuzzOperation(ctx, op, { runs: RUNS, seed: SEED })
    total += outcome.cases
    lines.push(outcome.summary)
    t.notOk(outcome.details.failed, `${op.label}: ${outcome.details.numRuns} generated requests answered as declared`, failureDiagnostic(outcome, SEED))
  }
  for (const line of lines) t.comment(line)
  t.comment(`fuzz total: ${total} cases over ${ctx.operations.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED}, FUZZ_RUNS=${RUNS})`)
})
