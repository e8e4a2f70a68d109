import { isUtf8 } from 'node:buffer'
import { occurrences } from './occurrences.js'

const LF = 10

/**
 * Checks that a byte stream is UTF-8, chunk by chunk, before it is decoded: decoding would turn
 * each byte of another encoding (a Latin-1 "í") into U+FFFD and store that, silently. A character
 * cut by a chunk's end is checked with the next chunk. A stream starting with a UTF-16 byte order
 * mark is left to the CSV parser, which decodes UTF-16 itself.
 */
export class Utf8Check {
  private carry = Buffer.alloc(0)
  private line = 1
  private utf16: boolean | undefined

  /** The line of the first byte that is not UTF-8, or undefined while all is well. */
  write (chunk: Buffer): number | undefined {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk
    this.utf16 ??= bytes.length >= 2 ? (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) : undefined
    if (this.utf16 === undefined) {
      this.carry = Buffer.from(bytes)
      return undefined
    }
    if (this.utf16) return undefined
    const complete = completeLength(bytes)
    const checked = bytes.subarray(0, complete)
    if (!isUtf8(checked)) return this.line + firstBadLine(checked)
    this.line += occurrences(checked, '\n')
    this.carry = Buffer.from(bytes.subarray(complete))
    return undefined
  }

  /** At the end of the stream: a character the stream cut off is not UTF-8 either. */
  end (): number | undefined {
    if (this.utf16 || this.carry.length === 0) return undefined
    return isUtf8(this.carry) ? undefined : this.line
  }
}

/** How many bytes end on a character boundary: a trailing lead byte without all its continuation bytes waits for the next chunk. */
function completeLength (bytes: Buffer): number {
  let lead = bytes.length - 1
  while (lead >= 0 && bytes.length - lead <= 3 && (bytes[lead] & 0xc0) === 0x80) lead--
  if (lead < 0) return bytes.length
  const byte = bytes[lead]
  const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
  return lead + size > bytes.length ? lead : bytes.length
}

/** Lines before the first line that is not UTF-8 (only run once a chunk failed). */
function firstBadLine (bytes: Buffer): number {
  let start = 0
  let lines = 0
  for (let end = bytes.indexOf(LF); ; end = bytes.indexOf(LF, start)) {
    const stop = end === -1 ? bytes.length : end
    if (!isUtf8(bytes.subarray(start, stop))) return lines
    if (end === -1) return lines
    lines++
    start = end + 1
  }
}
