import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import t from 'tap'
import { CsvRecords } from '../../src/modules/imports/csv-records.js'

// The fast reader must give exactly what csv-parse's stream gives (records, line numbers, the
// error), whatever the bytes and however they are cut into chunks.

type Outcome = { records: Array<[number, string[]]>, error?: string }

/** csv-parse on the whole input at once, with the options the importer used with its stream. */
function viaCsvParse (bytes: Buffer): Outcome {
  const records: Array<[number, string[]]> = []
  try {
    const parsed = parse(bytes, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as Array<{ record: string[], info: { lines: number } }>
    for (const { record, info } of parsed) records.push([info.lines, record])
  } catch (error) {
    return { records: [], error: (error as Error).message }
  }
  return { records }
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

const real = path.resolve(import.meta.dirname, '../../../shared/datasets/ooh-challenge')
t.test('the same on the real export', { skip: existsSync(real) ? false : 'the real export is not on this machine' }, async (t) => {
  for (const file of ['bd_campanias_agrupado.csv', 'bd_campanias_periodos.csv', 'bd_campanias_sitios.csv']) {
    const bytes = readFileSync(path.join(real, file))
    t.same(viaCsvRecords(bytes, [65536, 131072, 1 << 20]), viaCsvParse(bytes), file)
  }
})
