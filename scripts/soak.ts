import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createHmac, randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { availableParallelism } from 'node:os'
import { integerOption, readCommandLine } from '../src/cli/command-line.js'
import { connectOrExit } from './bench/database.js'
import { createSoakDatabase, databaseUrl, dropSoakDatabase } from './soak/database.js'
import { buildScenarios, SOAK_ORIGIN } from './soak/scenarios.js'
import { percentile, runTraffic } from './soak/traffic.js'

const HELP = `npm run soak -- [options]

Mixed traffic (list pages, details, summaries, logins, refreshes; whatever the server's OpenAPI
document lists) at a fixed concurrency against the real server process on PostgreSQL, with
generated campaigns in a throwaway database. Each client logs in as it arrives (as many at once as
the machine has cores), then again now and then (1 request in 170). Prints requests, errors,
non-2xx by status, p50/p99 and the server's RSS; exits 1 unless there were zero errors, zero 5xx
and RSS grew < 20 % after warm-up.

  --duration SECONDS     traffic duration (default 60)
  --concurrency N        concurrent keep-alive clients (default 64)
  --campaigns N          campaigns to generate (default 100000)
  --warmup SECONDS       RSS baseline is taken this long after the start (default 10)
  --admin-url URL        a PostgreSQL server where a throwaway database may be created
                         (default postgres://postgres@127.0.0.1:5432/postgres)
  --keep                 keep the throwaway database
  --help                 this text`

const args = readCommandLine({
  duration: { type: 'string', default: '60' },
  concurrency: { type: 'string', default: '64' },
  campaigns: { type: 'string', default: '100000' },
  warmup: { type: 'string', default: '10' },
  'admin-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
  keep: { type: 'boolean', default: false }
}, HELP)

const duration = integerOption('--duration', args.duration, 1)
const concurrency = integerOption('--concurrency', args.concurrency, 1)
const campaigns = integerOption('--campaigns', args.campaigns, 1)
const warmup = Math.min(integerOption('--warmup', args.warmup), duration / 2)
const adminUrl = args['admin-url']!
const database = `soak_${Date.now().toString(36)}_${process.pid}`
const secret = randomUUID() + randomUUID()
const port = 20000 + Math.floor(Math.random() * 20000)
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN)

function accessToken (user: { userId: number, companyId: number }): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: String(user.userId), cid: user.companyId, role: 'owner', token_use: 'access', jti: randomUUID(), iss: 'campaign-analytics-api', aud: 'campaign-analytics', iat: now, exp: now + duration + 3600 })}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

await (await connectOrExit(adminUrl, 'start it, or pass --admin-url postgres://…/postgres')).end()
console.log(`soak: generating ${campaigns} campaigns in the throwaway database ${database}…`)
let started = Date.now()
const user = await createSoakDatabase(adminUrl, database, campaigns)
console.log(`soak: data ready in ${((Date.now() - started) / 1000).toFixed(1)} s; starting the server on port ${port}`)
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: { ...process.env, ENV: 'development', TESTING: '0', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', SECRET_KEY: secret, DATABASE_URL: databaseUrl(adminUrl, database), DB_POOL_MAX: '20', FRONTEND_ORIGINS: SOAK_ORIGIN, LOGIN_RATE_LIMIT_PER_IP: '100000000' },
  stdio: ['ignore', 'inherit', 'inherit']
})
let exitCode = 1
try {
  for (let i = 0; i < 300; i++) {
    if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) break
    await sleep(200)
  }
  const doc = await (await fetch(`http://127.0.0.1:${port}/docs/json`)).json() as Parameters<typeof buildScenarios>[0]
  const { scenarios, login, skipped } = buildScenarios(doc, `Bearer ${accessToken(user)}`, campaigns)
  for (const note of skipped) console.log(`soak: skipped ${note}`)
  console.log(`soak: ${duration} s at concurrency ${concurrency}: ${scenarios.map((s) => s.name).join(', ')}`)

  const rssStart = rssKb(server.pid!)
  started = Date.now()
  let rssWarm = NaN
  const warmTimer = setTimeout(() => { rssWarm = rssKb(server.pid!) }, warmup * 1000)
  const figures = await runTraffic(port, scenarios, concurrency, duration, login && { scenario: login, atOnce: availableParallelism() })
  clearTimeout(warmTimer)
  const rssEnd = rssKb(server.pid!)
  const seconds = (Date.now() - started) / 1000

  const sorted = figures.latencies.sort((a, b) => a - b)
  const errors = Object.values(figures.errors).reduce((a, b) => a + b, 0)
  const non2xx = Object.entries(figures.byStatus).filter(([s]) => Number(s) >= 300)
  const fiveXx = non2xx.filter(([s]) => Number(s) >= 500).reduce((a, [, n]) => a + n, 0)
  const growth = (rssEnd - rssWarm) / rssWarm
  console.log(`
soak figures (${seconds.toFixed(0)} s, concurrency ${concurrency}, ${campaigns} campaigns)
  requests        ${figures.requests} (${(figures.requests / seconds).toFixed(0)}/s)
  by scenario     ${Object.entries(figures.byScenario).map(([k, v]) => `${k}: ${v}`).join('; ')}
  errors          ${errors} ${JSON.stringify(figures.errors)}
  non-2xx         ${non2xx.length ? non2xx.map(([s, n]) => `${s}: ${n}`).join(', ') : 'none'}
  latency         p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms
  server RSS      start ${mb(rssStart)}, after ${warmup} s warm-up ${mb(rssWarm)}, end ${mb(rssEnd)} (${(growth * 100).toFixed(1)} % after warm-up)`)
  const checks = [
    [errors === 0, `zero client errors (${errors})`],
    [fiveXx === 0, `zero 5xx (${fiveXx})`],
    [growth < 0.2, `RSS growth after warm-up under 20 % (${(growth * 100).toFixed(1)} %)`]
  ] as const
  for (const [ok, text] of checks) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${text}`)
  exitCode = checks.every(([ok]) => ok) ? 0 : 1
} finally {
  server.kill('SIGTERM')
  await new Promise((resolve) => server.once('exit', resolve))
  if (!args.keep) await dropSoakDatabase(adminUrl, database)
  else console.log(`soak: kept database ${database}`)
}
process.exit(exitCode)
