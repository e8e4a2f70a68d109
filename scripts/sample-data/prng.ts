/** mulberry32: a 32-bit seeded PRNG, tiny and fast; the same seed gives the same sequence on every platform. */
export type Random = () => number

export function mulberry32 (seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Derives an independent stream (e.g. per site) from a seed and a number, without state. */
export function derive (seed: number, n: number): Random {
  return mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n + 1, 0xc2b2ae35))
}

export const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1))

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]

export function pickWeighted<T> (random: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0)
  let x = random() * total
  for (const [item, weight] of items) {
    x -= weight
    if (x < 0) return item
  }
  return items[items.length - 1][0]
}

/** A value around `median`, skewed like real audience counts (log-normal-ish, bounded). */
export function skewed (random: Random, median: number, spread = 0.6): number {
  const gauss = (random() + random() + random() - 1.5) * 2
  return median * Math.exp(gauss * spread)
}

/** Shares around the given profile that sum to 1 (the last one takes the rounding remainder). */
export function shares (random: Random, profile: readonly number[], jitter = 0.35): number[] {
  const raw = profile.map((p) => p * (1 + (random() * 2 - 1) * jitter))
  const total = raw.reduce((a, b) => a + b, 0)
  const rounded = raw.map((v) => round10(v / total))
  const last = round10(1 - rounded.slice(0, -1).reduce((a, b) => a + b, 0))
  rounded[rounded.length - 1] = Math.max(0, last)
  return rounded
}

/** Ten significant digits, as the planning tool prints its floats (`13.63891742`). */
export const round10 = (x: number): number => Number(x.toPrecision(10))
