import { parse } from 'csv-parse'
import { occurrences } from './occurrences.js'

// csv-parse walks every byte through its state machine and allocates per field: ~10 s per million
// site rows here. Most lines of an export hold no quote at all, and for such a line the result is
// known: split on commas. This reader splits those itself and hands every other line (quotes,
// stray CR or LF, the header with its BOM) to csv-parse's own parser, in segments that end on a
// record boundary, so records and errors stay csv-parse's.
//
// Line numbers are the file's own: a record is reported at the line it starts on, counting line
// feeds. csv-parse counts a CRLF inside a quoted cell as two lines and reports a record at its last
// line, so after a multi-line address cell in a Windows export every later line was off. Its own
// counter is still kept in step, so its error messages read as they always did. (A file whose
// lines end in a lone CR, or in UTF-16, is read by csv-parse alone and keeps its numbering.)

type CsvApi = {
  info: { lines: number }
  state: { bomSkipped: boolean }
  parse: (chunk: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void) => Error | undefined
}

const LF = 10
const CR = 13
const QUOTE = 34
/** A quoted field longer than this (or a never closed quote) falls back to plain streaming. */
const MAX_SEGMENT = 16 << 20

export type OnRecord = (record: string[], line: number) => void

/** Options as the importer always used them: BOM, ragged rows allowed, empty lines skipped. */
export class CsvRecords {
  private readonly api = (parse({ bom: true, relax_column_count: true, skip_empty_lines: true }) as unknown as { api: CsvApi }).api
  private mode: 'detect' | 'lf' | 'crlf' | 'stream' = 'detect'
  /** The physical line the next record starts on. */
  private line = 1
  /** csv-parse's own line counter, for its error messages. */
  private parserLine = 1
  private rest: Buffer = Buffer.alloc(0)
  /** Where the pending slow segment starts in `rest` (-1: none), how far it was scanned, its quote count. */
  private slowStart = -1
  private scanned = 0
  private quotes = 0
  private first = true

  constructor (private readonly onRecord: OnRecord) {}

  write (chunk: Buffer): void {
    if (this.mode === 'stream') return this.run(chunk, false)
    this.rest = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk])
    if (this.mode === 'detect' && !this.detect(false)) return this.capOrWait()
    this.scan()
    this.capOrWait()
  }

  end (): void {
    if (this.mode === 'stream') return this.run(undefined, true)
    if (this.mode === 'detect') this.detect(true)
    const mode: string = this.mode
    if (mode !== 'stream') this.scan()
    if (this.rest.length > 0) {
      this.api.info.lines = this.parserLine
      this.run(this.rest, true, this.line)
    } else if (mode === 'stream') {
      this.run(undefined, true)
    }
    this.rest = Buffer.alloc(0)
  }

  /** Records are reported at `line` (a segment's first line), or at csv-parse's count when streaming. */
  private run (chunk: Buffer | undefined, end: boolean, line?: number): void {
    const error = this.api.parse(chunk, end, (record) => this.onRecord(record, line ?? this.api.info.lines), () => {})
    if (error) throw error
  }

  /** The record delimiter csv-parse would discover: the first CR or LF outside quotes. */
  private detect (atEnd: boolean): boolean {
    const buf = this.rest
    if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) return this.toStream()
    let quotes = 0
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i]
      if (c === QUOTE) quotes++
      else if ((c === LF || c === CR) && quotes % 2 === 0) {
        if (c === LF) this.mode = 'lf'
        else if (i + 1 < buf.length) this.mode = buf[i + 1] === LF ? 'crlf' : 'stream'
        else if (atEnd) this.mode = 'stream'
        else return false
        if (this.mode === 'stream') return this.toStream()
        return true
      }
    }
    if (atEnd) this.mode = 'stream'
    return atEnd ? this.toStream() : false
  }

  /** From here on csv-parse reads every byte, exactly as a plain stream. */
  private toStream (): boolean {
    this.mode = 'stream'
    this.api.info.lines = this.parserLine
    const rest = this.rest
    this.rest = Buffer.alloc(0)
    this.slowStart = -1
    if (rest.length > 0) this.run(rest, false)
    return true
  }

  private capOrWait (): void {
    if (this.mode !== 'stream' && this.rest.length > MAX_SEGMENT) this.toStream()
  }

  private scan (): void {
    const buf = this.rest
    const crlf = this.mode === 'crlf'
    let pos = this.slowStart === -1 ? 0 : this.scanned
    let nl: number
    while ((nl = buf.indexOf(LF, pos)) !== -1) {
      const boundary = !crlf || (nl - 1 >= pos && buf[nl - 1] === CR)
      if (this.slowStart === -1 && boundary && !this.first) {
        const text = buf.toString('utf8', pos, crlf ? nl - 1 : nl)
        if (text.indexOf('"') === -1 && text.indexOf('\r') === -1) {
          if (text.length > 0) this.onRecord(text.split(','), this.line)
          this.line++
          this.parserLine++
          pos = nl + 1
          continue
        }
      }
      if (this.slowStart === -1) {
        this.slowStart = pos
        this.quotes = 0
      }
      for (let i = pos; i < nl; i++) if (buf[i] === QUOTE) this.quotes++
      pos = nl + 1
      if (boundary && this.quotes % 2 === 0) {
        const segment = buf.subarray(this.slowStart, pos)
        this.api.info.lines = this.parserLine
        this.run(segment, true, this.line)
        // A stream checks for a BOM once, on the file's first bytes: a segment shorter than a BOM
        // (ending in a line break) cannot hold one, and no later segment starts the file.
        this.api.state.bomSkipped = true
        this.parserLine = this.api.info.lines
        this.line += occurrences(segment, '\n')
        this.slowStart = -1
        this.first = false
      }
    }
    if (this.slowStart === -1) {
      this.rest = buf.subarray(pos)
    } else {
      this.rest = buf.subarray(this.slowStart)
      this.scanned = pos - this.slowStart
      this.slowStart = 0
    }
  }
}
