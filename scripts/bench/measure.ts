/** Wall time and peak resident memory of one phase (RSS sampled every 50 ms, and at the end). */
export type Measured<T> = { result: T, seconds: number, peakRssBytes: number }

export async function measure<T> (run: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 50)
  const started = performance.now()
  try {
    const result = await run()
    return { result, seconds: (performance.now() - started) / 1000, peakRssBytes: Math.max(peak, process.memoryUsage.rss()) }
  } finally {
    clearInterval(timer)
  }
}

export const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`
export const perSecond = (rows: number, seconds: number) => Math.round(rows / seconds)
export const thousands = (n: number) => n.toLocaleString('en')

/** A one-line status on a terminal, nothing when output goes to a file or a pipe. */
export function progressLine (): { show: (text: string) => void, clear: () => void } {
  const tty = process.stderr.isTTY
  let last = 0
  return {
    show (text) {
      if (!tty || performance.now() - last < 200) return
      last = performance.now()
      process.stderr.write(`\r\x1b[K  ${text}`)
    },
    clear () {
      if (tty) process.stderr.write('\r\x1b[K')
    }
  }
}
