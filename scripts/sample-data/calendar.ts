/**
 * Day arithmetic on plain integers (days since 1970-01-01), proleptic Gregorian, for any year:
 * spreadsheet serials of large impact counts land past year 9999, beyond what Date can hold.
 * Algorithms from Howard Hinnant, "chrono-compatible low-level date algorithms".
 */
export function daysFromCivil (year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export function civilFromDays (days: number): [year: number, month: number, day: number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return [era * 400 + yoe + (month <= 2 ? 1 : 0), month, day]
}

const two = (n: number) => String(n).padStart(2, '0')

export function isoDate (days: number): string {
  const [y, m, d] = civilFromDays(days)
  return `${String(y).padStart(4, '0')}-${two(m)}-${two(d)}`
}

export const monthCode = (year: number, month: number): string => `${year}-${two(month)}`
export const lastDayOfMonth = (year: number, month: number): number =>
  daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - 1

/** The spreadsheet epoch: serial 0 is 1899-12-30. */
export const SERIAL_EPOCH = daysFromCivil(1899, 12, 30)

/** How a spreadsheet prints integer `value` once it takes it for a date serial: `14566-06-26`. */
export const asDateSerial = (value: number): string => isoDate(SERIAL_EPOCH + value)

/**
 * Catorcenas: an unbroken chain of 14-day periods, 26 per year code, anchored where the real
 * exports put them (2025-01 starts 2024-12-24, 2025-17 on 2025-08-05). Index 0 = 2025-01.
 */
const CATORCENA_ANCHOR = daysFromCivil(2024, 12, 24)

export const catorcenaStart = (index: number): number => CATORCENA_ANCHOR + index * 14
export const catorcenaEnd = (index: number): number => catorcenaStart(index) + 13

export function catorcenaCode (index: number): string {
  const year = 2025 + Math.floor(index / 26)
  return `${year}-${two(index - (year - 2025) * 26 + 1)}`
}

/** The catorcena holding `days` (its index). */
export const catorcenaAt = (days: number): number => Math.floor((days - CATORCENA_ANCHOR) / 14)

/** The month a catorcena is reported under: the month of its 8th day, kept inside its own year code. */
export function catorcenaMonth (index: number): string {
  const year = 2025 + Math.floor(index / 26)
  const [y, m] = civilFromDays(catorcenaStart(index) + 7)
  return y < year ? monthCode(year, 1) : monthCode(y, m)
}
