import t from 'tap'
import { progress } from '../src/cli/progress.js'

// Long commands (import, generate:data) in a pipe or a log print a plain progress line every few
// seconds; on a terminal they redraw one line in place.
function recorder (isTTY: boolean) {
  const written: string[] = []
  let clock = 0
  return { stream: { isTTY, write: (text: string) => written.push(text) }, written, advance: (ms: number) => { clock += ms }, now: () => clock }
}

t.test('in a pipe: one plain line every interval, with the elapsed time, nothing to erase', async (t) => {
  const r = recorder(false)
  const p = progress(r.stream, { everyMs: 5000, now: r.now, stdout: { isTTY: false } })
  p.show('sites: 1,000 rows…')
  t.same(r.written, [], 'not at once: a short command stays quiet')
  r.advance(5000)
  p.show('sites: 90,000 rows…')
  r.advance(1000)
  p.show('sites: 100,000 rows…')
  r.advance(4000)
  p.show('storing…')
  p.clear()
  t.same(r.written, ['sites: 90,000 rows… (5 s)\n', 'storing… (10 s)\n'])
})

t.test('on a terminal: one line redrawn in place, erased at the end', async (t) => {
  const r = recorder(true)
  const p = progress(r.stream, { now: r.now, stdout: { isTTY: true } })
  p.show('a')
  p.show('b')
  r.advance(250)
  p.show('c')
  p.clear()
  t.same(r.written, ['\r\x1b[Ka', '\r\x1b[Kc', '\r\x1b[K'])
})

t.test('standard output redirected (`npm run import > out.log`): plain lines, though stderr is a terminal', async (t) => {
  const r = recorder(true)
  const p = progress(r.stream, { everyMs: 5000, now: r.now, stdout: { isTTY: false } })
  p.show('a')
  r.advance(5000)
  p.show('b')
  p.clear()
  t.same(r.written, ['b (5 s)\n'])
})
