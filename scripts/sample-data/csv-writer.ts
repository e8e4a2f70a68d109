import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'

/** RFC 4180: quote only a field holding a comma, a quote or a line break, as the exports do. */
export function csvField (value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/**
 * Appends text to a file in large chunks and waits for 'drain' when the stream is full, so
 * writing millions of rows needs memory for one chunk, not for the file.
 */
export class ChunkedWriter {
  private readonly stream: WriteStream
  private chunk: string[] = []
  private chunkLength = 0

  constructor (readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })
  }

  append (text: string): void {
    this.chunk.push(text)
    this.chunkLength += text.length
  }

  async flushIfFull (): Promise<void> {
    if (this.chunkLength >= 256 * 1024) await this.flush()
  }

  async flush (): Promise<void> {
    if (this.chunk.length === 0) return
    const text = this.chunk.join('')
    this.chunk = []
    this.chunkLength = 0
    if (!this.stream.write(text)) await once(this.stream, 'drain')
  }

  /** Flushes and closes; resolves with the file size in bytes. */
  async close (): Promise<number> {
    await this.flush()
    this.stream.end()
    await once(this.stream, 'finish')
    return this.stream.bytesWritten
  }
}

export class CsvWriter extends ChunkedWriter {
  rows = 0
  /** The line the last record was written on; the header is line 1. */
  line = 1

  // Each record is preceded by the line end, so the last one can go without (as in the real exports).
  constructor (path: string, header: readonly string[], private readonly eol: string, bom: boolean, private readonly finalNewline = true) {
    super(path)
    this.append((bom ? '\uFEFF' : '') + header.map(csvField).join(','))
  }

  /** Appends one record and returns its line number (no field holds a line break, so record n is on line n + 1). */
  write (fields: readonly string[]): number {
    this.append(this.eol + fields.map(csvField).join(','))
    this.rows++
    return ++this.line
  }

  override async close (): Promise<number> {
    if (this.finalNewline) this.append(this.eol)
    return super.close()
  }
}
