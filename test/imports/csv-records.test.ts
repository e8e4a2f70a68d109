import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import t from 'tap'
import { CsvRecords } from '../../src/modules/imports/csv-records.js'
import { REAL_EXPORT_DIR } from '../support/real-export.js'

// The fast reader must give exactly what csv-parse's stream gives (records, the error), whatever
// the bytes and however they are cut into chunks; and each record's line is the line it starts on
// in the file, found here independently of both readers.

type Outcome = { records: Array<[number, string[]]>, error?: string }

/** csv-parse on the whole input at once, with the options the importer used with its stream. */
function viaCsvParse (bytes: Buffer): Outcome {
  const records: Array<[number, string[]]> = []
  try {
    const parsed = parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as Array<{ record: string[], info: { lines: number } }>
    const starts = recordStartLines(bytes)
    parsed.forEach(({ record, info }, i) => records.push([starts === 'csv-parse' ? info.lines : starts[i], record]))
  } catch (error) {
    return { records: [], error: (error as Error).message }
  }
  return { records }
}

/**
 * The line each record starts on: 1 + the line feeds before its first character. Records end at a
 * line end (LF, or CRLF when the file's first line end is CRLF) outside quotes, and empty ones are
 * skipped. A file whose first line end is a lone CR is left to csv-parse, numbering and all.
 */
function recordStartLines (bytes: Buffer): number[] | 'csv-parse' {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '')
  let quotes = 0
  let mode: 'lf' | 'crlf' | undefined
  for (let i = 0; i < text.length && !mode; i++) {
    if (text[i] === '"') quotes++
    else if (quotes % 2 === 0 && text[i] === '\n') mode = 'lf'
    else if (quotes % 2 === 0 && text[i] === '\r') {
      if (text[i + 1] !== '\n') return 'csv-parse'
      mode = 'crlf'
    }
  }
  if (!mode) return 'csv-parse'
  const starts: number[] = []
  let line = 1
  let start = 0
  let startLine = 1
  quotes = 0
  for (let i = 0; i <= text.length; i++) {
    const atEnd = i === text.length
    if (!atEnd && text[i] === '"') quotes++
    const lineEnd = !atEnd && text[i] === '\n' && quotes % 2 === 0 && (mode === 'lf' || text[i - 1] === '\r')
    if (lineEnd || atEnd) {
      const content = text.slice(start, mode === 'crlf' && lineEnd ? i - 1 : i)
      if (content.length > 0) starts.push(startLine)
      start = i + 1
      startLine = line + (lineEnd ? 1 : 0)
    }
    if (!atEnd && text[i] === '\n') line++
  }
  return starts
}

function viaCsvRecords (bytes: Buffer, cuts: number[]): Outcome {
  const records: Array<[number, string[]]> = []
  const reader = new CsvRecords((record, line) => records.push([line, record]))
  try {
    for (const chunk of chunks(bytes, cuts)) reader.write(chunk)
    reader.end()
  } catch (error) {
    return { records: [], error: (error as Error).message }
  }
  return { records }
}

function chunks (bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Buffer[] = []
  let from = 0
  for (const cut of [...at, bytes.length]) {
    if (cut > from) out.push(bytes.subarray(from, cut))
    from = Math.max(from, cut)
  }
  return out
}

const piece = fc.constantFrom('a', 'bc', 'Sí', '1.5', ',', ',', '"', '""', '"x,y"', '\r\n', '\r\n', '\n', '\r', ' ', '\uFEFF', '')

t.test('same records, lines and errors as csv-parse for arbitrary bytes and chunking', async (t) => {
  await fc.assert(fc.asyncProperty(
    fc.boolean(), fc.array(piece, { maxLength: 60 }), fc.array(fc.nat(400), { maxLength: 6 }),
    async (bom, pieces, cuts) => {
      const bytes = Buffer.from((bom ? '\uFEFF' : '') + pieces.join(''))
      const expected = viaCsvParse(bytes)
      t.same(viaCsvRecords(bytes, cuts), expected)
    }
  ), { numRuns: 1500 })
})

t.test('the same on whole lines of typical exports (quoted lists, CRLF, accented headers)', async (t) => {
  const text = 'nombre,periods,disponible\r\nA,"2024-01,2024-02",Sí\r\n\r\nB,,No\r\nC,"multi\r\nline",Si\r\nD,unclosed "x,No\r\n'
  for (const cuts of [[], [1], [7, 30], [28, 29, 31, 33]]) {
    t.same(viaCsvRecords(Buffer.from(text), cuts), viaCsvParse(Buffer.from(text)), `cuts ${cuts.join(',')}`)
  }
})

const real = REAL_EXPORT_DIR
t.test('the same on the real export', { skip: existsSync(real) ? false : `the real export is not in ${real} (set OOH_CHALLENGE_DIR to its folder)` }, async (t) => {
  for (const file of ['bd_campanias_agrupado.csv', 'bd_campanias_periodos.csv', 'bd_campanias_sitios.csv']) {
    const bytes = readFileSync(path.join(real, file))
    t.same(viaCsvRecords(bytes, [65536, 131072, 1 << 20]), viaCsvParse(bytes), file)
  }
})
