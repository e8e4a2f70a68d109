// Typed parsing of one CSV cell. Each parser returns the value as the text COPY will store (so a
// number is stored exactly as printed), NULL for an empty cell, or an error that rejects the row.

export type Parsed = { ok: true, value: string | null, repair?: { recovered: string, rule: RepairRule } } | { ok: false, reason: string }
export type RepairRule = 'spreadsheet-date-serial' | 'lost-decimal-point' | 'swapped-impact-columns'

const INTEGER = /^\d+$/
const DECIMAL = /^\d+(\.\d+)?([eE][+-]?\d+)?$/
// Fast paths for what nearly every cell of an export looks like, tested without converting the
// text to a number: no exponent and at most 300 digits on each side of the point is always a
// double PostgreSQL accepts; a share written 0.xxx (or 1, 1.0) is within 0..1. Anything else
// takes the full check.
const PLAIN_DECIMAL = /^\d{1,300}(\.\d{1,300})?$/
const PLAIN_SHARE = /^(0+(\.\d{1,300})?|0*1(\.0{1,300})?)$/
/** Fewer digits than 2^53 - 1 has (16): within MAX_COUNT without comparing. */
const SHORT_COUNT_DIGITS = 15
// Up to 12 year digits: the day count stays far below 2^53, so the serial is exact.
const SERIAL_DATE = /^(\d{4,12})-(\d{2})-(\d{2})$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
/**
 * The largest count stored (2^53 - 1): the columns are bigint, but the API answers JSON numbers,
 * which hold integers exactly only up to here. Real impacts are below 10^10.
 */
const MAX_COUNT = BigInt(Number.MAX_SAFE_INTEGER)
const NONZERO_MANTISSA = /^[0.]*[1-9]/

const ZERO = 48

/** Digits without the zeros a spreadsheet may pad them with: "0042" is "42", "0" stays "0". */
export function withoutLeadingZeros (digits: string): string {
  return digits.charCodeAt(0) === ZERO ? digits.replace(/^0+(?=\d)/, '') : digits
}

const ok = (value: string | null): Parsed => ({ ok: true, value })
const fail = (reason: string): Parsed => ({ ok: false, reason })

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): exact for any year. */
export function daysFromCivil (year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

const SPREADSHEET_EPOCH = daysFromCivil(1899, 12, 30)

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function isCalendarDate (year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return day <= (month === 2 && leap ? 29 : MONTH_DAYS[month - 1])
}

/** The day serial a spreadsheet printed as this date, or undefined when the text is no calendar date. */
export function dateSerial (text: string): number | undefined {
  const match = SERIAL_DATE.exec(text)
  if (!match) return undefined
  const [year, month, day] = match.slice(1).map(Number)
  if (!isCalendarDate(year, month, day)) return undefined
  return daysFromCivil(year, month, day) - SPREADSHEET_EPOCH
}

/** A non-negative integer; a date printed in its place is the spreadsheet's day serial, recovered exactly. */
export function parseCount (raw: string): Parsed {
  if (raw === '') return ok(null)
  if (INTEGER.test(raw)) {
    const digits = withoutLeadingZeros(raw)
    return digits.length <= SHORT_COUNT_DIGITS || BigInt(digits) <= MAX_COUNT ? ok(digits) : fail(`${raw} is larger than ${MAX_COUNT}, the largest integer the API can return exactly`)
  }
  const serial = dateSerial(raw)
  if (serial !== undefined && serial >= 0) {
    return { ok: true, value: String(serial), repair: { recovered: String(serial), rule: 'spreadsheet-date-serial' } }
  }
  return fail(`"${raw}" is not a non-negative integer`)
}

/** A non-empty cell that parseNonNegative accepts as it is (the hot path tests this without allocating). */
export function isNonNegative (raw: string): boolean {
  if (PLAIN_DECIMAL.test(raw)) return true
  if (!DECIMAL.test(raw)) return false
  // What PostgreSQL's double precision refuses: infinity, and a non-zero value that underflows to 0.
  const value = Number(raw)
  return Number.isFinite(value) && (value !== 0 || !NONZERO_MANTISSA.test(raw))
}

/** A non-empty cell that parseShare accepts as it is. */
export function isShare (raw: string): boolean {
  return PLAIN_SHARE.test(raw) || (isNonNegative(raw) && Number(raw) <= 1)
}

export function parseNonNegative (raw: string): Parsed {
  if (raw === '') return ok(null)
  if (!isNonNegative(raw)) return fail(`"${raw}" is not a non-negative number`)
  return ok(raw)
}

export function parseShare (raw: string): Parsed {
  const parsed = parseNonNegative(raw)
  if (!parsed.ok || parsed.value === null) return parsed
  return Number(raw) <= 1 ? parsed : fail(`share ${raw} is outside 0..1`)
}

export function parseDate (raw: string): Parsed {
  if (raw === '') return ok(null)
  const match = DATE.exec(raw)
  if (!match || Number(match[1]) < 1 || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) return fail(`"${raw}" is not a date YYYY-MM-DD`)
  return ok(raw)
}

const MAX_TEXT = 200

export function parseText (raw: string): Parsed {
  const value = raw.trim()
  if (value.length > MAX_TEXT) return fail(`text longer than ${MAX_TEXT} characters`)
  if (value.includes('\u0000')) return fail('contains a NUL character, which PostgreSQL text cannot hold')
  return ok(value === '' ? null : value)
}

const MAX_INTEGER = 2147483647

/** A count stored in a 32-bit integer column (site counts, hourly vehicles). */
export function parseSmallCount (raw: string): Parsed {
  const parsed = parseCount(raw)
  if (!parsed.ok || parsed.value === null) return parsed
  return Number(parsed.value) <= MAX_INTEGER ? parsed : fail(`${parsed.value} is too large for this column (at most ${MAX_INTEGER})`)
}

export function parseCampaignType (raw: string): Parsed {
  const value = raw.trim().toLowerCase()
  return value === 'mensual' || value === 'catorcenal' ? ok(value) : fail(`tipo_campania "${raw}" is neither mensual nor catorcenal`)
}

/** `Sí`/`Si`/`No` (any case); stored as a boolean. */
export function parseAvailability (raw: string): Parsed {
  // The spellings exports use, without normalising each cell.
  if (raw === 'Sí' || raw === 'Si') return ok('true')
  if (raw === 'No') return ok('false')
  if (raw.trim() === '') return ok(null)
  const value = raw.trim().normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
  if (value === 'si') return ok('true')
  if (value === 'no') return ok('false')
  return fail(`disponible "${raw}" is neither Sí nor No`)
}

/** YYYY-MM (a month) or YYYY-NN (a catorcena 01..26). */
export function parsePeriodCode (raw: string, kind: 'mensual' | 'catorcenal'): Parsed {
  const value = raw.trim()
  if (value === '') return ok(null)
  const match = /^(\d{4})-(\d{2})$/.exec(value)
  const number = match ? Number(match[2]) : 0
  const max = kind === 'mensual' ? 12 : 26
  if (!match || number < 1 || number > max) return fail(`"${raw}" is not a ${kind === 'mensual' ? 'month YYYY-MM' : 'catorcena YYYY-NN (01..26)'}`)
  return ok(value)
}
