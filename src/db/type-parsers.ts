import pg from 'pg'

const { builtins } = pg.types
type TypeId = Parameters<typeof pg.types.getTypeParser>[0]
// The OIDs of int4[] and text[]: pg.types.builtins lists scalar types only.
const INT4_ARRAY = 1007 as TypeId
const TEXT_ARRAY = 1009 as TypeId

/**
 * How pg turns PostgreSQL's text output into JavaScript values, for every query on both engines.
 * Called once, by src/db/engine.ts: pg's type parsers are process-wide.
 */
export function registerTypeParsers (): void {
  // bigint (int8) and numeric come as strings by default; our counts fit in a JS number (2^53).
  pg.types.setTypeParser(builtins.INT8, (value) => Number(value))
  pg.types.setTypeParser(builtins.NUMERIC, (value) => Number(value))
  // Dates are calendar days, not instants: keep them as 'YYYY-MM-DD' strings.
  pg.types.setTypeParser(builtins.DATE, (value) => value)
  pg.types.setTypeParser(INT4_ARRAY, withFlatArrays(pg.types.getTypeParser(INT4_ARRAY), Number))
  pg.types.setTypeParser(TEXT_ARRAY, withFlatArrays(pg.types.getTypeParser(TEXT_ARRAY), (item) => item))
}

// "{", then no quote, backslash or nested brace before the closing "}".
const FLAT_UNQUOTED = /^\{[^"\\{]*\}$/

/**
 * A one-dimensional array whose items needed no quoting ({1,2,NULL}, {2025-01,2025-02}) is split
 * on its commas; anything else (quoted or escaped items, nested arrays, bounds) goes to pg's own
 * parser. PostgreSQL quotes every item holding a comma, brace, quote, backslash or space, an empty
 * string and the string "NULL", so an unquoted item is its own text and an unquoted NULL is null.
 * pg's parser reads such arrays character by character: about 6 µs for a campaign's 24-hour
 * profile, against 1.5 µs split (BENCHMARKS.md, API throughput, "Where the time goes").
 */
export function withFlatArrays (general: (value: string) => unknown, item: (text: string) => unknown) {
  return (value: string): unknown => {
    if (!FLAT_UNQUOTED.test(value)) return general(value)
    if (value === '{}') return []
    return value.slice(1, -1).split(',').map((text) => text === 'NULL' ? null : item(text))
  }
}
