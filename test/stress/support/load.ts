import type { FastifyInstance, InjectOptions } from 'fastify'

export type Probe = { label: string, request: InjectOptions, /** true when the answer comes from the database (503 expected during an outage) */ database: boolean }

export type Sample = { label: string, start: number, end: number, status: number, contentType?: string, body: string, error?: string }

/**
 * A few concurrent loops sending the probes round-robin through app.inject, recording every
 * answer with its timing, until stop() is called.
 */
export function startLoad (app: FastifyInstance, probes: Probe[], concurrency = 4, pauseMs = 20) {
  const samples: Sample[] = []
  const state = { running: true }
  let next = 0
  const worker = async () => {
    while (state.running) {
      const probe = probes[next++ % probes.length]
      const start = Date.now()
      try {
        const response = await app.inject(probe.request)
        samples.push({ label: probe.label, start, end: Date.now(), status: response.statusCode, contentType: response.headers['content-type'] as string | undefined, body: response.body })
      } catch (error) {
        samples.push({ label: probe.label, start, end: Date.now(), status: 0, body: '', error: String(error) })
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
  }
  const workers = Array.from({ length: concurrency }, worker)
  return {
    samples,
    async stop () {
      state.running = false
      await Promise.all(workers)
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until check() is true; resolves the milliseconds it took, or Infinity after `limitMs`. */
export async function waitFor (check: () => Promise<boolean>, limitMs: number, everyMs = 50): Promise<number> {
  const started = Date.now()
  while (Date.now() - started <= limitMs) {
    if (await check().catch(() => false)) return Date.now() - started
    await sleep(everyMs)
  }
  return Infinity
}
