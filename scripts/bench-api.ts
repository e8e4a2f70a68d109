/**
 * npm run bench [-- --campaigns N --duration S --connections C --keep]
 *
 * Throughput and latency of the list, detail and summary endpoints against a throwaway
 * PostgreSQL database of generated campaigns (5 sites and 3 periods each, made with
 * generate_series: far faster than CSV), and of a "ceiling": bare node:http + a pg Pool
 * answering the same first-page query with JSON.stringify. The app and the ceiling run in child
 * processes; autocannon runs here. Prints ratios within the run, which drift less than absolutes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { setTimeout } from 'node:timers/promises'
import net from 'node:net'
import os from 'node:os'
import autocannon from 'autocannon'
import { integerOption, readCommandLine } from '../src/cli/command-line.js'
import { appEnv, benchToken, describeDatabase, generate } from './bench-data.js'
import { connectOrExit } from './bench/database.js'

const args = readCommandLine({
  campaigns: { type: 'string', default: '1000000' },
  // Short windows, many rounds: on a drifting host each endpoint's window then sits close to the
  // ceiling windows around it (BENCHMARKS.md, API throughput, "Method").
  duration: { type: 'string', default: '3' },
  connections: { type: 'string', default: '32' },
  rounds: { type: 'string', default: '15' },
  warmup: { type: 'string', default: '10' },
  server: { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432' },
  keep: { type: 'boolean', default: false },
  database: { type: 'string' },
  tsx: { type: 'boolean', default: false },
  set: { type: 'string', default: 'all' }
}, `npm run bench -- [--campaigns 1000000] [--duration 3] [--connections 32] [--rounds 15] [--warmup 10] [--server postgres://…:5432] [--keep] [--database NAME] [--tsx] [--set all|list|analytics|first]
Creates a throwaway database bench_api_<time> on the server, fills it, measures, drops it (unless --keep).
--set list measures the list, detail and summary (v2) and the old dashboard's list (v1); --set analytics
the overview and the zone and state filters against a bare ceiling, and the overview as computed after a
write (a second app keeping no answer, OVERVIEW_CACHE_MB=0); all (the default) both;
--set first only the first page against the ceiling (a few minutes: to compare two builds).
--database NAME measures an existing database kept by an earlier --keep run (no generation; never dropped).
The app runs compiled, as in production (npm run build, then node dist/src/server.js with ENV=production
behind a trusted proxy); --tsx runs it through tsx instead, as npm start does.`)
const campaigns = integerOption('--campaigns', args.campaigns, 1)
const duration = integerOption('--duration', args.duration, 1)
const connections = integerOption('--connections', args.connections, 1)
const rounds = integerOption('--rounds', args.rounds, 1)
const warmup = integerOption('--warmup', args.warmup)
if (!['all', 'list', 'analytics', 'first'].includes(args.set)) throw new Error(`--set must be all, list, analytics or first (got "${args.set}")`)
const database = args.database ?? `bench_api_${Date.now()}`
const databaseUrl = `${args.server}/${database}`
const SERVE = fileURLToPath(new URL('./bench-serve.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('..', import.meta.url))
// Production's command, `npm run start:prod` (the Dockerfile's CMD is the same, a test checks it):
// `exec node <flags> dist/src/server.js`. The ceiling runs with the same Node flags, so the two differ
// only in the code they run.
const [, ...PRODUCTION_ARGS] = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'] as string).replace(/^exec /, '').split(' ')
const NODE_FLAGS = PRODUCTION_ARGS.filter((arg) => arg.startsWith('--'))

type Ready = { port: number }

function startServer (mode: 'app' | 'ceiling' | 'bare', companyId: number): Promise<{ child: ChildProcess, ready: Ready }> {
  const child = spawn(process.execPath, [...NODE_FLAGS, ...process.execArgv, SERVE, mode], { env: { ...process.env, BENCH_DATABASE_URL: databaseUrl, BENCH_COMPANY_ID: String(companyId) }, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, ready: JSON.parse(line) }))
  })
}

let built = false

/** Production's own entry point, compiled: what `npm run start:prod` (and the Dockerfile) runs; `env` adds settings. */
async function startCompiledApp (env: Record<string, string> = {}): Promise<{ child: ChildProcess, ready: Ready }> {
  if (!built) {
    const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' })
    if (build.status !== 0) throw new Error('npm run build failed')
    built = true
  }
  const port = await freePort()
  const child = spawn(process.execPath, PRODUCTION_ARGS, {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...appEnv(), DATABASE_URL: databaseUrl, ENV: 'production', HOST: '127.0.0.1', PORT: String(port), TRUST_PROXY: '127.0.0.1', FRONTEND_ORIGINS: 'https://dashboard.example.com', ...env }
  })
  const exited = new Promise<never>((_resolve, reject) => child.once('exit', (code) => reject(new Error(`app exited with ${code}`))))
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const up = await Promise.race([fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false), exited])
    if (up) return { child, ready: { port } }
    await setTimeout(200)
  }
  throw new Error('the app did not answer /health within 60 s')
}

function freePort (): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

type Sample = { rps: number, p50: number, p99: number, errors: number }
type Target = { name: string, url: string, headers?: Record<string, string> }
/** Medians over the rounds; each ratio is taken within its round (against the ceiling windows around it, and that round's first page), then their median. */
type Result = Sample & { name: string, rpsRatio: number, p99Ratio: number, p50RatioToFirst: number }

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]

/**
 * The machine is shared, so its speed drifts during a run (the ceiling alone from 563 to 1,893 req/s in
 * one run: BENCHMARKS.md, API throughput, "Method"). Each
 * round measures the ceiling before the first endpoint, between every two and after the last, and
 * each endpoint's ratios are taken against the mean of the two ceiling windows around it; the
 * medians over the rounds are printed.
 */
async function measureAll (ceilingTarget: Target, endpoints: Target[]): Promise<Result[]> {
  // Warm-up: JIT, the young generation growing to its size, pools, caches. The app's first
  // 10,000 requests or so ran measurably slower than the next.
  for (const { url, headers } of [ceilingTarget, ...endpoints]) await autocannon({ url, connections, duration: warmup, headers })
  const measure = async ({ name, url, headers }: Target, round: number): Promise<Sample> => {
    const r = await autocannon({ url, connections, duration, headers })
    const errors = r.errors + r.timeouts + r.non2xx
    console.log(`  round ${round} ${name.padEnd(22)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms${errors ? `  (${errors} errors/non-2xx!)` : ''}`)
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors }
  }
  const ceilings: Sample[] = []
  const samples: Array<Array<Sample & { ceilingRps: number, ceilingP99: number }>> = endpoints.map(() => [])
  for (let round = 1; round <= rounds; round++) {
    let before = await measure(ceilingTarget, round)
    ceilings.push(before)
    for (const [index, endpoint] of endpoints.entries()) {
      const sample = await measure(endpoint, round)
      const after = await measure(ceilingTarget, round)
      ceilings.push(after)
      samples[index].push({ ...sample, ceilingRps: (before.rps + after.rps) / 2, ceilingP99: (before.p99 + after.p99) / 2 })
      before = after
    }
  }
  // endpoints[0] is the first page.
  const first = samples[0]
  const ceiling: Result = {
    name: ceilingTarget.name,
    rps: median(ceilings.map((r) => r.rps)),
    p50: median(ceilings.map((r) => r.p50)),
    p99: median(ceilings.map((r) => r.p99)),
    errors: ceilings.reduce((n, r) => n + r.errors, 0),
    rpsRatio: 1,
    p99Ratio: 1,
    p50RatioToFirst: Number.NaN
  }
  return [ceiling, ...endpoints.map(({ name }, index) => {
    const s = samples[index]
    return {
      name,
      rps: median(s.map((r) => r.rps)),
      p50: median(s.map((r) => r.p50)),
      p99: median(s.map((r) => r.p99)),
      errors: s.reduce((n, r) => n + r.errors, 0),
      rpsRatio: median(s.map((r) => r.rps / r.ceilingRps)),
      p99Ratio: median(s.map((r) => r.p99 / r.ceilingP99)),
      p50RatioToFirst: median(s.map((r, round) => r.p50 / first[round].p50))
    }
  })]
}

const admin = await connectOrExit(`${args.server}/postgres`, 'start it, or pass --server postgres://…:5432')
if (!args.database) await admin.query(`create database ${database}`)
const children: ChildProcess[] = []
try {
  const started = Date.now()
  const targets = args.database
    ? await describeDatabase(databaseUrl)
    : await generate(databaseUrl, campaigns, (message) => console.log(`# ${message} (${((Date.now() - started) / 1000).toFixed(0)} s)`))

  const ceiling = await startServer('ceiling', targets.companyId)
  children.push(ceiling.child)
  const bare = await startServer('bare', targets.companyId)
  children.push(bare.child)
  const app = args.tsx ? await startServer('app', targets.companyId) : await startCompiledApp()
  children.push(app.child)
  // The same app keeping no overview answer: what each overview costs after a write to the company.
  const uncached = args.set === 'all' || args.set === 'analytics' ? await startCompiledApp({ OVERVIEW_CACHE_MB: '0' }) : undefined
  if (uncached) children.push(uncached.child)
  // The app's API is under /v2 (the root paths are the old service's v1 contract).
  const base = `http://127.0.0.1:${app.ready.port}/v2`
  // The TLS-terminating proxy's header: production refuses plain HTTP (src/plugins/https-only.ts).
  const headers = { authorization: `Bearer ${await benchToken(databaseUrl, targets.companyId)}`, 'x-forwarded-proto': 'https' }
  const name = encodeURIComponent(targets.detailName)
  // The old dashboard's list (v1, at the root): its deepest page is the last page of 5 by skip.
  const legacy = `http://127.0.0.1:${app.ready.port}/campaigns/`
  const byType = '&tipo_campania=mensual'
  const byDates = '&start_date=2025-06-01&end_date=2025-06-30'
  // The skip of the last page of 5, as the old dashboard's last-page button asks for it.
  const deepestSkip = async (filters: string) => {
    const { total } = await (await fetch(`${legacy}?skip=0&limit=1${filters}`, { headers })).json() as { total: number }
    return Math.max(0, Math.floor((total - 1) / 5) * 5)
  }
  const [deepest, deepestByType, deepestByDates] = [await deepestSkip(''), await deepestSkip(byType), await deepestSkip(byDates)]
  console.log(`# measuring ${args.tsx ? 'the app through tsx' : `the compiled app (${PRODUCTION_ARGS.join(' ')})`} at concurrency ${connections}: ${warmup} s warm-up per target, then ${rounds} rounds of ${duration} s per endpoint, each between two ceiling windows`)
  const listSet: Target[] = [
    { name: 'list last page', url: `${base}/campaigns?cursor=${encodeURIComponent(targets.lastPageCursor)}`, headers },
    { name: 'list filtered', url: `${base}/campaigns?tipo_campania=mensual&start_date=2025-06-01&sort=-impactos_personas`, headers },
    { name: 'detail', url: `${base}/campaigns/${name}`, headers },
    { name: 'summary', url: `${base}/campaigns/${name}/summary`, headers },
    { name: 'v1 list first page', url: `${legacy}?skip=0&limit=5`, headers },
    { name: 'v1 list deepest page', url: `${legacy}?skip=${deepest}&limit=5`, headers },
    { name: 'v1 list by type', url: `${legacy}?skip=0&limit=5${byType}`, headers },
    { name: 'v1 list by type, deepest', url: `${legacy}?skip=${deepestByType}&limit=5${byType}`, headers },
    { name: 'v1 list by dates', url: `${legacy}?skip=0&limit=5${byDates}`, headers },
    { name: 'v1 list by dates, deepest', url: `${legacy}?skip=${deepestByDates}&limit=5${byDates}`, headers }
  ]
  const zone = encodeURIComponent(targets.zone)
  const state = encodeURIComponent(targets.state)
  const analyticsSet: Target[] = [
    { name: 'bare ceiling (20 rows)', url: `http://127.0.0.1:${bare.ready.port}/` },
    { name: 'list first page (20)', url: `${base}/campaigns?limit=20`, headers },
    { name: 'overview', url: `${base}/analytics/overview`, headers },
    { name: 'overview by type', url: `${base}/analytics/overview?tipo_campania=mensual`, headers },
    { name: 'overview by dates', url: `${base}/analytics/overview?start_date=2025-06-01&end_date=2025-06-30`, headers },
    { name: 'overview by zone', url: `${base}/analytics/overview?zm=${zone}`, headers },
    { name: 'overview by q', url: `${base}/analytics/overview?q=0001`, headers },
    ...[['', ''], [' by type', '?tipo_campania=mensual'], [' by dates', '?start_date=2025-06-01&end_date=2025-06-30'], [' by zone', `?zm=${zone}`], [' by q', '?q=0001']]
      .map(([by, query]) => ({ name: `computed overview${by}`, url: `http://127.0.0.1:${uncached?.ready.port}/v2/analytics/overview${query}`, headers })),
    { name: 'list by zone', url: `${base}/campaigns?zm=${zone}`, headers },
    { name: 'list by zone, last page', url: `${base}/campaigns?zm=${zone}&cursor=${encodeURIComponent(targets.lastZonePageCursor)}`, headers },
    { name: 'list by state', url: `${base}/campaigns?estado=${state}`, headers },
    { name: 'list by state, last page', url: `${base}/campaigns?estado=${state}&cursor=${encodeURIComponent(targets.lastStatePageCursor)}`, headers }
  ]
  const results = await measureAll({ name: 'ceiling (first page)', url: `http://127.0.0.1:${ceiling.ready.port}/campaigns` }, [
    { name: 'list first page', url: `${base}/campaigns`, headers },
    ...(['all', 'list'].includes(args.set) ? listSet : []),
    ...(['all', 'analytics'].includes(args.set) ? analyticsSet : [])
  ])

  console.log('\nMedians over the rounds; each ratio is taken against the mean of the two ceiling windows around it (p50s against its round\'s first page), then its median.')
  console.log('\n| endpoint | req/s | p50 ms | p99 ms | throughput / ceiling | p99 / ceiling p99 | p50 / first page p50 |\n|---|---:|---:|---:|---:|---:|---:|')
  for (const r of results) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${(100 * r.rpsRatio).toFixed(0)} % | ${r.p99Ratio.toFixed(2)}× | ${Number.isNaN(r.p50RatioToFirst) ? '' : `${r.p50RatioToFirst.toFixed(2)}×`} |`)
  const named = (label: string) => results.find((r) => r.name === label)!
  const verdict = (ok: boolean) => ok ? 'met' : 'MISSED'
  const first = named('list first page')
  console.log(`\nlist first page / ceiling throughput: ${(100 * first.rpsRatio).toFixed(0)} % (target >= 80 %: ${verdict(first.rpsRatio >= 0.8)})`)
  if (['all', 'list'].includes(args.set)) {
    const last = named('list last page')
    const [v1First, v1Deepest] = ['v1 list first page', 'v1 list deepest page'].map(named)
    console.log(`last page p50 / first page p50: ${last.p50RatioToFirst.toFixed(2)}× (target <= 1.2×: ${verdict(last.p50RatioToFirst <= 1.2)})`)
    console.log(`v1 first page / v2 first page throughput: ${(100 * v1First.rpsRatio / first.rpsRatio).toFixed(0)} % (target >= 50 %: ${verdict(v1First.rpsRatio >= 0.5 * first.rpsRatio)}); ` +
      `v1 deepest (skip ${deepest}) / v1 first: ${(100 * v1Deepest.rpsRatio / v1First.rpsRatio).toFixed(0)} % (target >= 10 %: ${verdict(v1Deepest.rpsRatio >= 0.1 * v1First.rpsRatio)}); ` +
      `v1 first page p99 / ceiling p99: ${v1First.p99Ratio.toFixed(2)}× (target <= 2×: ${verdict(v1First.p99Ratio <= 2)})`)
  }
  if (['all', 'analytics'].includes(args.set)) {
    const [bareCeiling, page20] = ['bare ceiling (20 rows)', 'list first page (20)'].map(named)
    console.log(`list first page (20) / bare ceiling (20 rows) throughput: ${(100 * page20.rpsRatio / bareCeiling.rpsRatio).toFixed(0)} % (target >= 60 %: ${verdict(page20.rpsRatio >= 0.6 * bareCeiling.rpsRatio)})`)
    for (const [prefix, factor] of [['overview', 5], ['list by', 3]] as const) {
      for (const r of results.filter((x) => x.name.startsWith(prefix))) {
        console.log(`${r.name}: p50 ${r.p50RatioToFirst.toFixed(2)}× the first page's (target <= ${factor}×: ${verdict(r.p50RatioToFirst <= factor)}), p99 ${r.p99Ratio.toFixed(2)}× the ceiling's (target <= ${2 * factor}×: ${verdict(r.p99Ratio <= 2 * factor)})`)
      }
    }
  }
  console.log(`${targets.campaigns} campaigns, ${connections} connections, median of ${rounds} rounds of ${duration} s per window; ${os.cpus().length}× ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL ${targets.serverVersion}`)
  if (results.some((r) => r.errors > 0)) process.exitCode = 1
} finally {
  for (const child of children) if (child.exitCode === null) child.kill()
  if (!args.keep && !args.database) await admin.query(`drop database if exists ${database} with (force)`)
  else console.log(`# kept database ${database}`)
  await admin.end()
}
