import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parse, stringify } from 'yaml'
import { ROOT } from './database.js'

/** Debian's prometheus package (apt-get install prometheus); never a download. */
export const PROMETHEUS_PATH = process.env.PROMETHEUS_PATH ?? '/usr/bin/prometheus'
const EXAMPLE = path.join(ROOT, 'deploy/prometheus/prometheus.yml')

export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

type ScrapeConfig = { static_configs: Array<{ targets: string[], labels?: Record<string, string> }>, authorization: { credentials_file: string } }
type PrometheusConfig = { global: Record<string, string>, rule_files: string[], scrape_configs: ScrapeConfig[] }

/**
 * The shipped example configuration (deploy/prometheus/prometheus.yml) with only what a test must
 * change: the one target, the token file, absolute rule paths and a 1 s scrape and evaluation interval.
 */
async function testConfig (target: string, tokenFile: string): Promise<PrometheusConfig> {
  const config = parse(await readFile(EXAMPLE, 'utf8')) as PrometheusConfig
  config.global.scrape_interval = '1s'
  config.global.evaluation_interval = '1s'
  config.rule_files = config.rule_files.map((file) => path.resolve(path.dirname(EXAMPLE), file))
  const [job] = config.scrape_configs
  job.static_configs = [{ targets: [target], labels: job.static_configs[0].labels }]
  job.authorization.credentials_file = tokenFile
  return config
}

export type Prometheus = {
  /** An instant query through the HTTP API: the result vector (empty while nothing matches). */
  query: (promql: string) => Promise<Array<{ metric: Record<string, string>, value: [number, string] }>>
  /** GET /api/v1/rules: the loaded rule groups. */
  rules: () => Promise<Array<{ name: string, rules: Array<{ name: string, type: string, health: string, lastError?: string }> }>>
  /** What the server printed (for failure messages). */
  output: () => string
}

/**
 * A Prometheus server on loopback scraping `target` (host:port) with the shipped configuration,
 * in a temporary storage directory; stopped and removed on teardown.
 */
export async function startPrometheus (t: { teardown: (fn: () => Promise<void>) => void }, target: string, token: string): Promise<Prometheus> {
  const dir = await mkdtemp(path.join(tmpdir(), 'prometheus-'))
  const tokenFile = path.join(dir, 'metrics-token')
  await writeFile(tokenFile, token, { mode: 0o600 })
  await writeFile(path.join(dir, 'prometheus.yml'), stringify(await testConfig(target, tokenFile)))
  const port = await freePort()
  const child: ChildProcess = spawn(PROMETHEUS_PATH, [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk) => { output += chunk })
  child.stderr?.on('data', (chunk) => { output += chunk })
  t.teardown(async () => {
    if (child.exitCode === null) {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  })

  const base = `http://127.0.0.1:${port}`
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const response = await fetch(`${base}${pathAndQuery}`)
    const body = await response.json() as { status: string, data: T, error?: string }
    if (body.status !== 'success') throw new Error(`Prometheus ${pathAndQuery}: ${body.error}`)
    return body.data
  }
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`)
    if (await fetch(`${base}/-/ready`).then((r) => r.ok, () => false)) break
    if (i > 300) throw new Error(`prometheus not ready after 60 s:\n${output}`)
    await sleep(200)
  }
  return {
    query: async (promql) => (await api<{ result: Array<{ metric: Record<string, string>, value: [number, string] }> }>(`/api/v1/query?query=${encodeURIComponent(promql)}`)).result,
    rules: async () => (await api<{ groups: Array<{ name: string, rules: Array<{ name: string, type: string, health: string, lastError?: string }> }> }>('/api/v1/rules')).groups,
    output: () => output
  }
}

/** Polls `read` until `done` says its value is complete, or fails after `timeoutMs`. */
export async function waitFor<T> (read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) return value
    await sleep(250)
  }
}
