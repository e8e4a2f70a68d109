import { performance } from 'node:perf_hooks'
import type { FastifyInstance, InjectOptions } from 'fastify'

export type Timed = { status: number, ms: number, retryAfter?: string }

/** One request through the whole app, timed. */
export async function timed (app: FastifyInstance, options: InjectOptions | (() => Promise<{ statusCode: number, headers: Record<string, unknown> }>)): Promise<Timed> {
  const started = performance.now()
  const response = typeof options === 'function' ? await options() : await app.inject(options)
  const retryAfter = response.headers['retry-after']
  return { status: response.statusCode, ms: performance.now() - started, retryAfter: retryAfter === undefined ? undefined : String(retryAfter) }
}

export function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
}

/** Repeats `probe` one after another until `until` settles, and returns every answer. */
export async function bystander (probe: () => Promise<Timed>, until: Promise<unknown>): Promise<Timed[]> {
  const state = { done: false }
  until.finally(() => { state.done = true }).catch(() => {})
  const seen: Timed[] = []
  while (!state.done) seen.push(await probe())
  return seen
}

export const summary = (samples: Timed[]) => {
  const byStatus: Record<number, number> = {}
  for (const s of samples) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1
  const ms = samples.map((s) => s.ms)
  return { count: samples.length, byStatus, p50: Math.round(median(ms)), p95: Math.round(percentile(ms, 0.95)), max: Math.round(Math.max(...ms)) }
}
