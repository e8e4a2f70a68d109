import { asDateSerial, isoDate } from './calendar.js'
import type { Campaign } from './campaign.js'
import { CAMPAIGN_COLUMNS } from './columns.js'
import type { DefectClass, ManifestEntry } from './manifest.js'
import { int, pick, type Random } from './prng.js'
import { PERIOD_COLUMN_INDEX as P, SITE_COLUMN_INDEX as S } from './rows.js'

/** A defect waiting for its line number: `raw` defaults to the cell's final text when written. */
export type PendingEntry = Omit<ManifestEntry, 'file' | 'line' | 'raw'> & { raw?: string | null, duplicateOf?: OutRow }
export type OutRow = { fields: string[], entries: PendingEntry[], line?: number }

type Where = 'campaign' | 'periods' | 'sites'
export type Plan = {
  serial?: Where
  lostDecimal?: Where
  swap: boolean
  duplicate?: 'periods' | 'sites'
  conflict: boolean
  empty: boolean
  outside: boolean
}

export const outRows = (rows: string[][]): OutRow[] => rows.map((fields) => ({ fields, entries: [] }))

function note (row: OutRow, klass: DefectClass, column: string, trueValue: string | null, raw?: string, extra?: string) {
  row.entries.push({ class: klass, column, trueValue, ...(raw === undefined ? {} : { raw }), ...(extra ? { note: extra } : {}) })
}

/** Decimal texts, trailing zeros dropped as the tool prints them, that add up to `total` exactly. */
function decimalParts (random: Random, total: number, count: number): string[] {
  const digits = Math.max(2, 17 - String(Math.round(total / count)).length)
  const scaled = BigInt(total) * 10n ** BigInt(digits)
  const weights = Array.from({ length: count }, () => BigInt(1_000_000 + Math.floor(random() * 120_000)))
  const weightSum = weights.reduce((a, b) => a + b, 0n)
  const parts = weights.map((w) => scaled * w / weightSum)
  parts[count - 1] = scaled - parts.slice(0, -1).reduce((a, b) => a + b, 0n)
  return parts.map((part) => {
    const text = part.toString().padStart(digits + 1, '0')
    const fraction = text.slice(-digits).replace(/0+$/, '')
    return fraction ? `${text.slice(0, -digits)}.${fraction}` : text.slice(0, -digits)
  })
}

function loseDecimal (row: OutRow, index: number, column: string): boolean {
  const text = row.fields[index]
  if (!text.includes('.')) return false
  row.fields[index] = text.replace('.', '')
  note(row, 'lost-decimal', column, text)
  return true
}

function toSerial (row: OutRow, index: number, column: string): void {
  const text = row.fields[index]
  row.fields[index] = asDateSerial(Number(text))
  note(row, 'date-serial', column, text)
}

export function injectCampaign (random: Random, row: OutRow, plan: Plan): void {
  if (plan.serial === 'campaign') {
    const column = pick(random, ['universo_zona_metro', 'alcance', `hourly_vehicle_count_${String(int(random, 0, 23)).padStart(2, '0')}`])
    toSerial(row, CAMPAIGN_COLUMNS.indexOf(column as typeof CAMPAIGN_COLUMNS[number]), column)
  }
  if (plan.lostDecimal === 'campaign') loseDecimal(row, CAMPAIGN_COLUMNS.indexOf('frecuencia_calculada'), 'frecuencia_calculada')
}

const PERSONAS = 'impactos_periodo_personas'
const VEHICULOS = 'impactos_periodo_vehículos'

/** Order matters: values, then the swap (whole campaign), then what a spreadsheet did to single cells. */
export function injectPeriods (random: Random, c: Campaign, rows: OutRow[], plan: Plan): void {
  if (plan.lostDecimal === 'periods') {
    const personas = decimalParts(random, c.impactosPersonas, rows.length)
    const vehiculos = decimalParts(random, c.impactosVehiculos, rows.length)
    rows.forEach((row, k) => { row.fields[P[PERSONAS]] = personas[k]; row.fields[P[VEHICULOS]] = vehiculos[k] })
  }
  if (plan.swap) {
    for (const row of rows) {
      const [personas, vehiculos] = [row.fields[P[PERSONAS]], row.fields[P[VEHICULOS]]]
      row.fields[P[PERSONAS]] = vehiculos
      row.fields[P[VEHICULOS]] = personas
      note(row, 'swapped-columns', PERSONAS, personas, undefined, 'the whole campaign has its two impact columns exchanged')
      note(row, 'swapped-columns', VEHICULOS, vehiculos)
    }
  }
  if (plan.lostDecimal === 'periods') {
    for (const row of rows) {
      loseDecimal(row, P[PERSONAS], PERSONAS)
      loseDecimal(row, P[VEHICULOS], VEHICULOS)
    }
  }
  if (plan.serial === 'periods') {
    const column = random() < 0.7 ? VEHICULOS : PERSONAS
    for (const row of rows) toSerial(row, P[column], column)
  }
  if (plan.duplicate === 'periods') duplicate(random, rows)
}

function duplicate (random: Random, rows: OutRow[]): void {
  const at = int(random, 0, rows.length - 1)
  const original = rows[at]
  const copy: OutRow = { fields: [...original.fields], entries: [] }
  copy.entries.push({ class: 'duplicate-row', column: null, raw: null, trueValue: null, duplicateOf: original })
  rows.splice(at + 1, 0, copy)
}

export function injectSites (random: Random, c: Campaign, rows: OutRow[], plan: Plan): void {
  if (plan.empty) {
    const row = pick(random, rows)
    for (const column of ['mes', 'impactos_mensuales', 'alcance_mensual'] as const) {
      note(row, 'empty-optional', column, row.fields[S[column]], '')
      row.fields[S[column]] = ''
    }
  }
  if (plan.serial === 'sites') toSerial(pick(random, rows), S.impactos_catorcenal, 'impactos_catorcenal')
  if (plan.lostDecimal === 'sites') loseDecimal(pick(random, rows), S.alcance_vehiculos_catorcenal, 'alcance_vehiculos_catorcenal')
  if (plan.outside) {
    const code = pick(random, rows).fields[S.codigo_del_sitio]
    const length = c.end - c.start
    const shift = (length + int(random, 15, 200)) * (random() < 0.5 ? -1 : 1)
    const [from, to] = [isoDate(c.start + shift), isoDate(c.end + shift)]
    for (const row of rows.filter((r) => r.fields[S.codigo_del_sitio] === code)) {
      row.fields[S.fecha_uso_inicio] = from
      row.fields[S.fecha_uso_fin] = to
      const why = `usage ${from}..${to} outside the flight ${isoDate(c.start)}..${isoDate(c.end)}`
      note(row, 'usage-outside-flight', 'fecha_uso_inicio', null, from, why)
      note(row, 'usage-outside-flight', 'fecha_uso_fin', null, to, why)
    }
  }
  if (plan.duplicate === 'sites') duplicate(random, rows)
}
