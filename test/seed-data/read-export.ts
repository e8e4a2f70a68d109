import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'

/** A parsed export: the header, and each record as a column -> text map with its file line. */
export type ExportFile = { header: string[], rows: { line: number, cells: Record<string, string> }[] }

export function readExport (dir: string, name: string): ExportFile {
  const records: string[][] = parse(readFileSync(path.join(dir, name)), { bom: true, relax_column_count: false })
  const [header, ...body] = records
  return {
    header,
    rows: body.map((fields, i) => ({ line: i + 2, cells: Object.fromEntries(header.map((column, k) => [column, fields[k]])) }))
  }
}

export function groupBy<T> (items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item])
  return groups
}

/** Adds decimal texts exactly (`8426029.746377468`), as BigInt at the finest scale present. */
export function exactSum (values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => (v.split('.')[1] ?? '').length))
  const total = values.reduce((sum, v) => {
    const [whole, fraction = ''] = v.split('.')
    return sum + BigInt(whole + fraction.padEnd(scale, '0'))
  }, 0n)
  if (scale === 0) return total.toString()
  const text = total.toString().padStart(scale + 1, '0')
  const fraction = text.slice(-scale).replace(/0+$/, '')
  return fraction ? `${text.slice(0, -scale)}.${fraction}` : text.slice(0, -scale)
}

export const sumOf = (values: string[]) => values.reduce((sum, v) => sum + Number(v), 0)

/** Days since 1970-01-01 of an ISO date with any number of year digits (a spreadsheet serial may reach year 300000). */
export function epochDays (iso: string): number {
  const [, y, m, d] = /^(\d{4,})-(\d\d)-(\d\d)$/.exec(iso) ?? []
  // Date handles years up to 275760; shift by whole 400-year cycles (146097 days each) past that.
  const cycles = Math.floor(Number(y) / 400) - 1
  const date = new Date(0)
  date.setUTCFullYear(Number(y) - cycles * 400, Number(m) - 1, Number(d))
  return Math.round(date.getTime() / 86_400_000) + cycles * 146_097
}
