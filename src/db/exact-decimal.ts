/**
 * A numeric's text (PostgreSQL prints numeric in plain decimal digits) as the API gives it: a JSON
 * number when a double carries exactly that decimal (a client's JSON.parse gets it back digit for
 * digit), else the digits themselves as a string. Integers are numbers only up to 2^53 - 1: past
 * it a double still holds some of them, but not their neighbours, so a client could not tell a
 * sum from the one beside it. Read sums as `sum(...)::text` and pass them here: pg's numeric
 * parser (type-parsers.ts) rounds to a double silently.
 */
export function exactDecimal (text: string): number | string {
  const digits = canonicalDecimal(text)
  const value = Number(digits)
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return digits
  // String() writes the shortest decimal that reads back as this double; an exponent (1e-7, 1e21) is never a plain numeric's text.
  return String(value) === digits ? value : digits
}

/** Without a sign on zero, leading zeros, or trailing zeros after the decimal point: "0120.500" -> "120.5". */
export function canonicalDecimal (text: string): string {
  const match = /^([+-]?)0*(\d*)(?:\.(\d*?)0*)?$/.exec(text.trim())
  if (!match) throw new TypeError(`not a plain decimal: ${text}`)
  const [, sign, whole, fraction] = match
  const body = (whole || '0') + (fraction ? `.${fraction}` : '')
  return sign === '-' && body !== '0' ? `-${body}` : body
}
