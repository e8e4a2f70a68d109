import { dateSerial, withoutLeadingZeros, type RepairRule } from './values.js'

// The periods file's impact columns are only trusted once they add up to the campaign's totals in
// the campaigns file. The check decides which header holds which figure (the real export swaps
// them) and where a lost decimal point goes; without a confirming total nothing is rescaled.

export type Cell = { line: number, raw: string }
export type Value = { text: string | null, number: number, repairs: Array<{ recovered: string, rule: RepairRule }> }
export type Interpretation = { values: Value[], sum: number }

export const PLAIN_DIGITS = /^\d+$/
const DECIMAL = /^\d+(\.\d+)?$/

/** Reads one cell without any cross-check: a number, a recovered date serial, NULL, or an error. */
/** Far inside what a numeric column holds (131072 digits before the point, 16383 after), far beyond any real figure. */
const MAX_DIGITS = 1000

export function readImpact (raw: string): Value | { error: string } {
  if (raw === '') return { text: null, number: 0, repairs: [] }
  if (raw.length > 2 * MAX_DIGITS + 1 && DECIMAL.test(raw)) return { error: `a number of ${raw.length} characters is longer than any figure can be (at most ${MAX_DIGITS} digits on each side of the point)` }
  if (DECIMAL.test(raw)) return { text: withoutLeadingZeros(raw), number: Number(raw), repairs: [] }
  const serial = dateSerial(raw)
  if (serial !== undefined && serial >= 0) return { text: String(serial), number: serial, repairs: [{ recovered: String(serial), rule: 'spreadsheet-date-serial' }] }
  return { error: `"${raw}" is not a non-negative number` }
}

/**
 * How far a sum may be from a total printed in the campaigns file: that file prints at most
 * 8 significant digits (503179350 for 503179346.54), so half a unit of the 8th digit, and never
 * less than half a unit (an integer total of fractional period values).
 */
export function tolerance (total: string): number {
  return 0.5 * 10 ** Math.max(0, withoutLeadingZeros(total).length - 8)
}

export function confirms (sum: number, total: string): boolean {
  return Math.abs(sum - Number(total)) <= tolerance(total) + 1e-6
}

/** The digits of a value that lost its decimal point, with the point put where the value lands nearest the mean (in orders of magnitude). */
export function placePoint (digits: string, mean: number): string {
  let best = digits
  let distance = Infinity
  for (let whole = 1; whole <= digits.length; whole++) {
    const text = whole === digits.length ? digits : `${digits.slice(0, whole)}.${digits.slice(whole)}`
    const value = Number(text)
    const d = value > 0 ? Math.abs(Math.log10(value) - Math.log10(mean)) : Infinity
    if (d < distance) { best = text; distance = d }
  }
  return withoutLeadingZeros(best)
}

/**
 * The column read against one total: as printed (date serials recovered) when it adds up; else
 * with lost decimal points placed, when that adds up. undefined when neither reading is confirmed.
 */
export function interpret (cells: Cell[], values: Value[], total: string | null): Interpretation | undefined {
  if (total === null || values.some((v) => v.text === null)) return undefined
  const sum = values.reduce((s, v) => s + v.number, 0)
  if (confirms(sum, total)) return { values, sum }
  const mean = Number(total) / values.length
  if (!(mean > 0)) return undefined
  const rescaled = values.map((value, i): Value => {
    const raw = cells[i].raw
    if (!PLAIN_DIGITS.test(raw) || value.repairs.length > 0) return value
    const text = placePoint(raw, mean)
    if (text === value.text) return value
    return { text, number: Number(text), repairs: [{ recovered: text, rule: 'lost-decimal-point' }] }
  })
  const rescaledSum = rescaled.reduce((s, v) => s + v.number, 0)
  return confirms(rescaledSum, total) ? { values: rescaled, sum: rescaledSum } : undefined
}

export type Decision =
  | { mapping: 'as-labelled' | 'swapped', personas: Interpretation, vehiculos: Interpretation }
  | { mapping: 'unconfirmed' }

/** Which header holds which figure, decided by the totals: [personas column, vehículos column]. */
export function decide (personasCells: Cell[], vehiculosCells: Cell[], personasValues: Value[], vehiculosValues: Value[], totals: { personas: string | null, vehiculos: string | null }): Decision {
  const straightP = interpret(personasCells, personasValues, totals.personas)
  const straightV = interpret(vehiculosCells, vehiculosValues, totals.vehiculos)
  if (straightP && straightV) return { mapping: 'as-labelled', personas: straightP, vehiculos: straightV }
  const swappedP = interpret(vehiculosCells, vehiculosValues, totals.personas)
  const swappedV = interpret(personasCells, personasValues, totals.vehiculos)
  if (swappedP && swappedV) return { mapping: 'swapped', personas: swappedP, vehiculos: swappedV }
  return { mapping: 'unconfirmed' }
}

export function formatSum (sum: number): string {
  return String(Math.round(sum * 1e6) / 1e6)
}
