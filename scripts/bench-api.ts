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
import { parseArgs } from 'node:util'
import os from 'node:os'
import pg from 'pg'
import autocannon from 'autocannon'
import { generate } from './bench-data.js'

const { values: args } = parseArgs({
  options: {
    campaigns: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '3' },
    server: { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false }
  }
})
if (args.help) {
  console.log('npm run bench -- [--campaigns 1000000] [--duration 10] [--connections 32] [--server postgres://…:5432] [--keep]\nCreates a throwaway database bench_api_<time> on the server, fills it, measures, drops it (unless --keep).')
  process.exit(0)
}
const campaigns = Number(args.campaigns)
const duration = Number(args.duration)
const connections = Number(args.connections)
const rounds = Number(args.rounds)
const database = `bench_api_${Date.now()}`
const databaseUrl = `${args.server}/${database}`
const SERVE = fileURLToPath(new URL('./bench-serve.ts', import.meta.url))

type Ready = { port: number, token?: string, companyId?: number }

function startServer (mode: 'app' | 'ceiling'): Promise<{ child: ChildProcess, ready: Ready }> {
  const child = spawn(process.execPath, [...process.execArgv, SERVE, mode], { env: { ...process.env, BENCH_DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)))
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, ready: JSON.parse(line) }))
  })
}

type Result = { name: string, rps: number, p50: number, p99: number, errors: number }
type Target = { name: string, url: string, headers?: Record<string, string> }

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]

/**
 * The machine is shared, so load drifts during a run: every target is measured once per round,
 * rounds interleave the targets, and each figure is the median over the rounds.
 */
async function measureAll (targets: Target[]): Promise<Result[]> {
  for (const { url, headers } of targets) await autocannon({ url, connections, duration: 5, headers }) // warm-up: JIT, pool, caches
  const samples = new Map<string, Result[]>(targets.map((t) => [t.name, []]))
  for (let round = 1; round <= rounds; round++) {
    for (const { name, url, headers } of targets) {
      const r = await autocannon({ url, connections, duration, headers })
      const errors = r.errors + r.timeouts + r.non2xx
      console.log(`  round ${round} ${name.padEnd(22)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms${errors ? `  (${errors} errors/non-2xx!)` : ''}`)
      samples.get(name)!.push({ name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors })
    }
  }
  return targets.map(({ name }) => {
    const s = samples.get(name)!
    return { name, rps: median(s.map((r) => r.rps)), p50: median(s.map((r) => r.p50)), p99: median(s.map((r) => r.p99)), errors: s.reduce((n, r) => n + r.errors, 0) }
  })
}

const admin = new pg.Pool({ connectionString: `${args.server}/postgres`, max: 1 })
await admin.query(`create database ${database}`)
const children: ChildProcess[] = []
try {
  const started = Date.now()
  const targets = await generate(databaseUrl, campaigns, (message) => console.log(`# ${message} (${((Date.now() - started) / 1000).toFixed(0)} s)`))

  const ceiling = await startServer('ceiling')
  children.push(ceiling.child)
  const app = await startServer('app')
  children.push(app.child)
  const base = `http://127.0.0.1:${app.ready.port}`
  const headers = { authorization: `Bearer ${app.ready.token}` }
  const name = encodeURIComponent(targets.detailName)
  console.log(`# measuring at concurrency ${connections}, ${duration} s per endpoint and round, ${rounds} rounds`)
  const results = await measureAll([
    { name: 'ceiling (first page)', url: `http://127.0.0.1:${ceiling.ready.port}/campaigns` },
    { name: 'list first page', url: `${base}/campaigns`, headers },
    { name: 'list last page', url: `${base}/campaigns?cursor=${encodeURIComponent(targets.lastPageCursor(app.ready.companyId!))}`, headers },
    { name: 'list filtered', url: `${base}/campaigns?tipo_campania=mensual&start_date=2025-06-01&sort=-impactos_personas`, headers },
    { name: 'detail', url: `${base}/campaigns/${name}`, headers },
    { name: 'summary', url: `${base}/campaigns/${name}/summary`, headers }
  ])

  const [top, first, last] = results
  console.log('\n| endpoint | req/s | p50 ms | p99 ms | throughput / ceiling | p99 / ceiling p99 |\n|---|---:|---:|---:|---:|---:|')
  for (const r of results) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${(100 * r.rps / top.rps).toFixed(0)} % | ${(r.p99 / top.p99).toFixed(2)}× |`)
  console.log(`\nlast page p50 / first page p50: ${(last.p50 / first.p50).toFixed(2)}×`)
  console.log(`${campaigns} campaigns, ${connections} connections, median of ${rounds} rounds of ${duration} s; ${os.cpus().length}× ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL ${targets.serverVersion}`)
  if (results.some((r) => r.errors > 0)) process.exitCode = 1
} finally {
  for (const child of children) if (child.exitCode === null) child.kill()
  if (!args.keep) await admin.query(`drop database if exists ${database} with (force)`)
  else console.log(`# kept database ${database}`)
  await admin.end()
}
