/** Where progress goes (stderr), with isTTY telling a terminal from a pipe or a log file. */
type Stream = { isTTY?: boolean, write: (text: string) => unknown }

/**
 * Progress of a long command. On a terminal one line redrawn in place (at most every 250 ms); when
 * standard output is not a terminal (a pipe, a log: CI, a deploy), where a redrawn line never
 * shows or garbles the log, a plain line every `everyMs`, so the command is not silent for half a
 * minute. `clear()` ends it before the command's own output.
 */
export function progress (stream: Stream = process.stderr, { everyMs = 5000, now = () => Date.now(), stdout = process.stdout as { isTTY?: boolean } } = {}) {
  const tty = stream.isTTY === true && stdout.isTTY === true
  const started = now()
  let last = tty ? -Infinity : started
  let drawn = false
  return {
    show (text: string): void {
      const at = now()
      if (at - last < (tty ? 250 : everyMs)) return
      last = at
      if (tty) {
        stream.write(`\r\x1b[K${text}`)
        drawn = true
      } else {
        stream.write(`${text} (${Math.round((at - started) / 1000)} s)\n`)
      }
    },
    clear (): void {
      if (drawn) stream.write('\r\x1b[K')
      drawn = false
    }
  }
}
