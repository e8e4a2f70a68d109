import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { COLUMNS, normaliseHeader, type FileKind } from './columns.js'
import { CsvRecords } from './csv-records.js'
import { Utf8Check } from './utf8-check.js'

/** The file cannot be read at all (missing required column, malformed CSV): the run fails. */
export class ImportFileError extends Error {
  constructor (readonly file: FileKind, readonly reason: string) {
    super(`${file} file: ${reason}`)
    this.name = 'ImportFileError'
  }
}

export type CsvRow = {
  line: number
  /** Cells by canonical column name; an absent optional column reads as ''. */
  cells: Record<string, string>
  /** Set when the row has a different number of fields than the header. */
  fieldCountError?: string
}

/** A row with its cells in the order of COLUMNS[file] (no object per row for the large file). */
export type CsvRecord = { line: number, values: string[], fieldCountError?: string }

export type CsvHeader = { missingOptional: string[], ignored: string[] }

export type CsvSource = Readable | string

/**
 * Streams one export: BOM, CRLF, quoted commas and accented headers are handled by csv-parse and
 * normaliseHeader; columns are found by name, not position. Bytes that are not UTF-8 fail the file.
 */
export async function * readExport (file: FileKind, source: CsvSource, onHeader: (header: CsvHeader) => void): AsyncGenerator<CsvRow> {
  const names = COLUMNS[file].map((spec) => spec.name)
  for await (const records of readExportBatches(file, source, onHeader)) {
    for (const { line, values, fieldCountError } of records) {
      const cells: Record<string, string> = {}
      for (let i = 0; i < names.length; i++) cells[names[i]] = values[i]
      const row: CsvRow = { line, cells }
      if (fieldCountError !== undefined) row.fieldCountError = fieldCountError
      yield row
    }
  }
}

/** The same rows in batches (one per chunk read), without a stream and an await per row. */
export async function * readExportBatches (file: FileKind, source: CsvSource, onHeader: (header: CsvHeader) => void): AsyncGenerator<CsvRecord[]> {
  const input = typeof source === 'string' ? createReadStream(source, { highWaterMark: 1 << 16 }) : source
  // A stream that failed before we got it would never end the parser below.
  if (input.destroyed) throw new ImportFileError(file, input.errored ? input.errored.message : 'the stream was closed before it was read')
  /** For each column of COLUMNS[file], its position in the file (-1: absent). */
  let indexes: number[] | undefined
  let width = 0
  const specs = COLUMNS[file]
  let batch: CsvRecord[] = []
  const onRecord = (record: string[], line: number) => {
    if (!indexes) {
      const headers = record.map(normaliseHeader)
      const missing = specs.filter((spec) => spec.required && !headers.includes(spec.name)).map((spec) => spec.name)
      if (missing.length > 0) throw new ImportFileError(file, `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found: ${record.join(', ')})`)
      const doubled = headers.filter((h, i) => headers.indexOf(h) !== i)
      if (doubled.length > 0) throw new ImportFileError(file, `column ${doubled[0]} appears twice in the header`)
      indexes = specs.map((spec) => headers.indexOf(spec.name))
      width = record.length
      onHeader({
        missingOptional: specs.filter((spec) => !headers.includes(spec.name)).map((spec) => spec.name),
        ignored: record.filter((_, i) => !specs.some((spec) => spec.name === headers[i]))
      })
      return
    }
    const values = new Array<string>(indexes.length)
    for (let i = 0; i < indexes.length; i++) values[i] = indexes[i] === -1 ? '' : (record[indexes[i]] ?? '').trim()
    const row: CsvRecord = { line, values }
    if (record.length !== width) row.fieldCountError = `${record.length} fields where the header has ${width}`
    batch.push(row)
  }
  const records = new CsvRecords(onRecord)
  const utf8 = new Utf8Check()
  const notUtf8 = (line: number) => new ImportFileError(file, `is not UTF-8 text (line ${line} holds bytes of another encoding, such as Latin-1 or Windows-1252): save or export it again as "CSV UTF-8"`)
  const take = () => {
    const rows = batch
    batch = []
    return rows
  }
  try {
    for await (const chunk of input as AsyncIterable<Buffer | Uint8Array | string>) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)
      const badLine = utf8.write(bytes)
      if (badLine !== undefined) throw notUtf8(badLine)
      records.write(bytes)
      const rows = take()
      if (rows.length > 0) yield rows
    }
    const badLine = utf8.end()
    if (badLine !== undefined) throw notUtf8(badLine)
    records.end()
    const rows = take()
    if (rows.length > 0) yield rows
  } catch (error) {
    if (error instanceof ImportFileError) throw error
    throw new ImportFileError(file, (error as Error).message)
  } finally {
    if (typeof source === 'string') input.destroy()
  }
  if (!indexes) throw new ImportFileError(file, 'the file is empty (no header row)')
}
