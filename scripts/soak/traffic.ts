import http from 'node:http'

export type Scenario = { name: string, weight: number, request: (worker: WorkerState) => RequestSpec }
export type RequestSpec = { method: string, path: string, headers?: Record<string, string>, body?: string }
export type WorkerState = { cookie?: string }
export type Figures = { requests: number, errors: Record<string, number>, byStatus: Record<number, number>, latencies: number[], byScenario: Record<string, number> }

type Answer = { status: number, headers: http.IncomingHttpHeaders, body: string }

function send (agent: http.Agent, port: number, spec: RequestSpec): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, agent, method: spec.method, path: spec.path, headers: spec.headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString() }))
      response.on('error', reject)
    })
    request.on('error', reject)
    request.end(spec.body)
  })
}

/** Picks a scenario by weight. */
function picker (scenarios: Scenario[]): () => Scenario {
  const total = scenarios.reduce((sum, s) => sum + s.weight, 0)
  return () => {
    let r = Math.random() * total
    for (const s of scenarios) {
      if ((r -= s.weight) < 0) return s
    }
    return scenarios[scenarios.length - 1]
  }
}

/**
 * `concurrency` keep-alive clients sending the mixed scenarios for `seconds`. Each client first
 * opens its session with `opening.scenario` (a login), `opening.atOnce` clients at a time, as users
 * arrive rather than all in one instant; those requests count like the others.
 */
export async function runTraffic (port: number, scenarios: Scenario[], concurrency: number, seconds: number, opening?: { scenario: Scenario, atOnce: number }): Promise<Figures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const figures: Figures = { requests: 0, errors: {}, byStatus: {}, latencies: [], byScenario: {} }
  const pick = picker(scenarios)
  const clients: WorkerState[] = Array.from({ length: concurrency }, () => ({}))
  const run = async (scenario: Scenario, state: WorkerState) => {
    const started = performance.now()
    try {
      const answer = await send(agent, port, scenario.request(state))
      figures.latencies.push(performance.now() - started)
      figures.byStatus[answer.status] = (figures.byStatus[answer.status] ?? 0) + 1
      const cookie = answer.headers['set-cookie']?.[0]
      if (cookie) state.cookie = cookie.split(';')[0]
    } catch (error) {
      const kind = (error as NodeJS.ErrnoException).code ?? (error as Error).message
      figures.errors[kind] = (figures.errors[kind] ?? 0) + 1
    }
    figures.requests++
    figures.byScenario[scenario.name] = (figures.byScenario[scenario.name] ?? 0) + 1
  }
  if (opening) {
    let next = 0
    const opener = async () => { while (next < clients.length) await run(opening.scenario, clients[next++]) }
    await Promise.all(Array.from({ length: opening.atOnce }, opener))
  }
  const until = Date.now() + seconds * 1000
  await Promise.all(clients.map(async (state) => { while (Date.now() < until) await run(pick(), state) }))
  agent.destroy()
  return figures
}

export function percentile (sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
