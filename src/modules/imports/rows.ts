import { createHash } from 'node:crypto'
import type { ReportBuilder } from './report.js'
import type { ColumnKind, ColumnSpec, FileKind } from './columns.js'
import type { CsvHeader, CsvRecord, CsvRow } from './csv.js'
import {
  isNonNegative, isShare, parseAvailability, parseCampaignType, parseCount, parseDate, parseSmallCount, parseNonNegative, parsePeriodCode, parseShare, parseText, withoutLeadingZeros, type Parsed
} from './values.js'

/** The staging column type of each kind (values reach staging already validated). */
export const SQL_TYPES: Record<ColumnKind, string> = {
  text: 'text',
  count: 'bigint',
  smallCount: 'integer',
  number: 'double precision',
  share: 'double precision',
  date: 'date',
  type: 'text',
  availability: 'boolean',
  periods: 'text[]',
  period: 'text',
  month: 'text',
  catorcena: 'text'
}

export function parseCell (kind: ColumnKind, raw: string): Parsed {
  switch (kind) {
    case 'count': return parseCount(raw)
    case 'smallCount': return parseSmallCount(raw)
    case 'number': return parseNonNegative(raw)
    case 'share': return parseShare(raw)
    case 'date': return parseDate(raw)
    case 'type': return parseCampaignType(raw)
    case 'availability': return parseAvailability(raw)
    case 'month': return parsePeriodCode(raw, 'mensual')
    case 'catorcena': return parsePeriodCode(raw, 'catorcenal')
    default: return parseText(raw)
  }
}

export function rowHash (values: string[]): string {
  return createHash('sha1').update(values.join('\u001f')).digest('base64')
}

const PLAIN_NUMBER = /^(\d+)(?:\.(\d+))?$/
const EXPONENT_NUMBER = /^\d+(\.\d+)?[eE][+-]?\d+$/

/**
 * A number cell's value rather than its spelling, so rows that differ only in how a figure is
 * printed (0.5, 0.50, 00.5; 1500, 1500.0) are exact duplicates, as the sites file compares them.
 */
export function numberKey (text: string | null): string {
  if (text === null) return ''
  const plain = PLAIN_NUMBER.exec(text)
  if (!plain) return EXPONENT_NUMBER.test(text) ? String(Number(text)) : text
  const whole = withoutLeadingZeros(plain[1])
  const fraction = (plain[2] ?? '').replace(/0+$/, '')
  return fraction ? `${whole}.${fraction}` : whole
}

const NUMBER_KINDS = new Set<ColumnKind>(['number', 'share'])

/** The hash of a parsed row: what each cell means, not how it was written (ignored columns left out). */
export function valuesHash (values: Record<string, string | null>, specs: ColumnSpec[]): string {
  return rowHash(specs.map((spec) => NUMBER_KINDS.has(spec.kind) ? numberKey(values[spec.name]) : values[spec.name] ?? ''))
}

/**
 * Parses the given columns of a row, recording repairs; returns the values, or undefined after
 * rejecting the row (with the first bad cell as the reason).
 */
export function parseColumns (report: ReportBuilder, file: FileKind, row: CsvRow, specs: ColumnSpec[], campaign: string | undefined): Record<string, string | null> | undefined {
  if (row.fieldCountError) {
    report.reject({ file, line: row.line, campaign, reason: row.fieldCountError })
    return undefined
  }
  const values: Record<string, string | null> = {}
  const repairs: Array<{ column: string, raw: string, recovered: string, rule: 'spreadsheet-date-serial' }> = []
  for (const spec of specs) {
    const raw = row.cells[spec.name]
    const parsed = parseCell(spec.kind, raw)
    if (!parsed.ok) {
      report.reject({ file, line: row.line, campaign, column: spec.name, raw, reason: `${spec.name}: ${parsed.reason}` })
      return undefined
    }
    if (parsed.repair) repairs.push({ column: spec.name, raw, recovered: parsed.repair.recovered, rule: 'spreadsheet-date-serial' })
    values[spec.name] = parsed.value
  }
  for (const repair of repairs) report.repair({ file, line: row.line, ...repair })
  if (repairs.length > 0) report.report.files[file].rowsRepaired++
  return values
}

/**
 * parseColumns for a CsvRecord, into `out` from index `offset` on (so the caller's staging row
 * is the only array per row): specs[i] is read from record.values[positions[i]].
 */
export function parseInto (out: Array<string | null>, offset: number, report: ReportBuilder, file: FileKind, record: CsvRecord, specs: ColumnSpec[], positions: number[], campaign: string | undefined): boolean {
  if (record.fieldCountError) {
    report.reject({ file, line: record.line, campaign, reason: record.fieldCountError })
    return false
  }
  let repairs: Array<{ column: string, raw: string, recovered: string, rule: 'spreadsheet-date-serial' }> | undefined
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]
    const raw = record.values[positions[i]]
    // Most site cells are valid shares or numbers: stored as printed, no result object needed.
    if (raw !== '' && ((spec.kind === 'share' && isShare(raw)) || (spec.kind === 'number' && isNonNegative(raw)))) {
      out[offset + i] = raw
      continue
    }
    const parsed = parseCell(spec.kind, raw)
    if (!parsed.ok) {
      report.reject({ file, line: record.line, campaign, column: spec.name, raw, reason: `${spec.name}: ${parsed.reason}` })
      return false
    }
    if (parsed.repair) (repairs ??= []).push({ column: spec.name, raw, recovered: parsed.repair.recovered, rule: 'spreadsheet-date-serial' })
    out[offset + i] = parsed.value
  }
  if (repairs) {
    for (const repair of repairs) report.repair({ file, line: record.line, ...repair })
    report.report.files[file].rowsRepaired++
  }
  return true
}

export function headerWarnings (report: ReportBuilder, file: FileKind) {
  return (header: CsvHeader) => {
    for (const column of header.missingOptional) {
      const stored = column === 'periods' ? 'no period codes declared (an empty list)' : 'unknown (NULL)'
      report.warning({ file, code: 'column-missing', message: `column ${column} is absent: stored as ${stored}` })
    }
    for (const column of header.ignored) {
      report.warning({ file, code: 'column-ignored', message: `column "${column}" is not part of the format and was ignored` })
    }
  }
}
