import { PLAIN_DIGITS, placePoint } from './cross-check.js'
import type { ReportBuilder } from './report.js'

/**
 * frecuencia_calculada is impactos_personas / alcance (data-formats.md). A value that lost its
 * decimal point is recovered where that quotient confirms it. A value the quotient contradicts is
 * stored as exported with a warning: which of the three figures is wrong cannot be told from the row.
 * True when it repaired the value.
 */
export function checkFrequency (values: Record<string, string | null>, report: ReportBuilder, line: number, campaign: string): boolean {
  const { impactos_personas: personas, alcance, frecuencia_calculada: frequency } = values
  if (personas === null || alcance === null || frequency === null || !(Number(personas) > 0 && Number(alcance) > 0)) return false
  const quotient = Number(personas) / Number(alcance)
  const rounding = 0.5 / Number(personas) + 0.5 / Number(alcance)
  const agrees = (text: string, value = quotient) => agreesWith(text, value, rounding)
  if (agrees(frequency)) return false
  if (PLAIN_DIGITS.test(frequency)) {
    const placed = placePoint(frequency, quotient)
    if (placed !== frequency && agrees(placed)) {
      values.frecuencia_calculada = placed
      report.repair({ file: 'campaigns', line, column: 'frecuencia_calculada', raw: frequency, recovered: placed, rule: 'lost-decimal-point', detail: `the point placed where the value equals impactos_personas / alcance (${quotient.toPrecision(12)})` })
      return true
    }
  }
  const scale = Number(frequency) > 0 ? Math.round(Math.log10(quotient / Number(frequency))) : 0
  const message = scale !== 0 && agrees(frequency, quotient / 10 ** scale)
    ? `impactos_personas / alcance is ${quotient.toPrecision(6)}, ${10 ** scale} times frecuencia_calculada ${frequency}: one of the three figures may have lost a decimal point, and the periods are cross-checked against impactos_personas; stored as exported`
    : `impactos_personas / alcance is ${quotient.toPrecision(6)}, not frecuencia_calculada ${frequency}: stored as exported`
  report.warning({ file: 'campaigns', line, campaign, code: 'frequency-mismatch', message })
  return false
}

/**
 * Equal within the precision the value is printed with (half its last digit), plus what rounding the
 * two counts to integers moves the quotient (real exports compute the frequency before rounding them).
 */
function agreesWith (text: string, quotient: number, rounding: number): boolean {
  const decimals = /\.(\d+)$/.exec(text)?.[1].length ?? 0
  return Math.abs(Number(text) - quotient) <= 0.5 * 10 ** -decimals + quotient * rounding + 1e-9 * quotient
}
