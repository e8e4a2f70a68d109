import { ChunkedWriter } from './csv-writer.js'
import type { FileKey } from './columns.js'

/** The defect classes of data-formats.md; class 4 (duplicates) has its two forms. */
export const DEFECT_CLASSES = [
  'date-serial',
  'lost-decimal',
  'swapped-columns',
  'duplicate-row',
  'conflicting-campaign',
  'empty-optional',
  'usage-outside-flight'
] as const

export type DefectClass = typeof DEFECT_CLASSES[number]

/**
 * One injected defect. `raw` is the text written in the cell, `trueValue` the text the clean
 * export would hold there (for swapped columns: the value that belongs under this header),
 * null where no value can be known (a duplicate row, dates outside the flight).
 */
export type ManifestEntry = {
  class: DefectClass
  file: string
  line: number
  column: string | null
  raw: string | null
  trueValue: string | null
  note?: string
}

/** Streams manifest.json: options first, the defect list as it grows, the counts and files last. */
export class ManifestWriter extends ChunkedWriter {
  readonly counts = Object.fromEntries(DEFECT_CLASSES.map((c) => [c, 0])) as Record<DefectClass, number>
  private first = true

  constructor (path: string, options: object) {
    super(path)
    this.append(`{\n  "generator": "scripts/generate-sample-data.ts",\n  "options": ${JSON.stringify(options)},\n  "defects": [`)
  }

  add (entry: ManifestEntry): void {
    this.counts[entry.class]++
    this.append((this.first ? '\n    ' : ',\n    ') + JSON.stringify(entry))
    this.first = false
  }

  async finish (files: Record<FileKey, { name: string, rows: number, bytes: number }>): Promise<number> {
    this.append(`${this.first ? '' : '\n  '}],\n  "defectCounts": ${JSON.stringify(this.counts)},\n  "files": ${JSON.stringify(files)}\n}\n`)
    return this.close()
  }
}
