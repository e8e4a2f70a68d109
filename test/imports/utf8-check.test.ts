import fc from 'fast-check'
import t from 'tap'
import { Utf8Check } from '../../src/modules/imports/utf8-check.js'

/** Feeds the bytes in the given cuts; the first line reported, if any. */
function check (bytes: Buffer, cuts: number[]): number | undefined {
  const utf8 = new Utf8Check()
  let start = 0
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    const bad = utf8.write(bytes.subarray(start, cut))
    if (bad !== undefined) return bad
    start = cut
  }
  return utf8.write(bytes.subarray(start)) ?? utf8.end()
}

const text = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom('\n', '\r\n', 'Sí', 'Potosí', '€', '😀', ',')), { maxLength: 40 }).map((parts) => parts.join(''))
const cuts = fc.array(fc.nat(400), { maxLength: 8 })

t.test('UTF-8 text passes whatever the chunking, even when a chunk ends inside a character', async (t) => {
  fc.assert(fc.property(text, cuts, (value, at) => check(Buffer.from(value, 'utf8'), at) === undefined), { numRuns: 2000 })
  const emoji = Buffer.from('a😀b')
  for (let cut = 1; cut < emoji.length; cut++) t.equal(check(emoji, [cut]), undefined, `cut at byte ${cut}`)
})

t.test('a byte of another encoding is found, with its line, whatever the chunking', async (t) => {
  fc.assert(fc.property(fc.array(fc.constantFrom('a,b', 'Sí', 'x'), { minLength: 1, maxLength: 20 }), fc.nat(), cuts, (lines, pick, at) => {
    const bad = pick % lines.length
    const bytes = Buffer.concat(lines.map((line, i) => Buffer.concat([i === bad ? Buffer.from('Potos\xed', 'latin1') : Buffer.from(line), Buffer.from('\n')])))
    return check(bytes, at) === bad + 1
  }), { numRuns: 2000 })
  t.equal(check(Buffer.from([0x61, 0xe2, 0x82]), []), 1, 'a character the file cuts off at its end')
  t.equal(check(Buffer.from([0xe2]), []), 1, 'a one-byte file that is not UTF-8')
})

t.test('a UTF-16 file (byte order mark first) is left to the CSV parser', async (t) => {
  t.equal(check(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\r\nSí\r\n', 'utf16le')]), [1, 3]), undefined)
})
