import fc from 'fast-check'
import t from 'tap'
import { confirms, decide, interpret, readImpact, tolerance, type Value } from '../../src/modules/imports/cross-check.js'
import { normaliseHeader } from '../../src/modules/imports/columns.js'
import { dateSerial, isNonNegative, isShare, parseAvailability, parseCount, parseDate, parsePeriodCode, parseShare, parseSmallCount, parseText } from '../../src/modules/imports/values.js'

t.test('a date printed in an integer column is its exact day serial from 1899-12-30, for any year', async (t) => {
  t.equal(dateSerial('1899-12-30'), 0)
  t.equal(dateSerial('1900-01-01'), 2)
  // 1900 is not a leap year in the proleptic Gregorian calendar (unlike the spreadsheet's own 1900 bug).
  t.equal(dateSerial('1900-03-01'), 61)
  t.equal(dateSerial('2000-01-01'), 36526)
  // Every 400 years hold exactly 146097 days, so years far past 9999 stay exact.
  t.equal(dateSerial('14400-01-01'), 36526 + 31 * 146097)
  t.equal(dateSerial('2023-02-29'), undefined, 'not a calendar date: no serial')
  t.same(parseCount('14566-06-26'), { ok: true, value: String(dateSerial('14566-06-26')), repair: { recovered: String(dateSerial('14566-06-26')), rule: 'spreadsheet-date-serial' } })
})

t.test('integer, share, availability and period cells are validated, never guessed', async (t) => {
  t.same(parseCount(''), { ok: true, value: null }, 'empty is unknown (NULL), not zero')
  t.same(parseCount('0042'), { ok: true, value: '42' })
  t.equal(parseCount('12.5').ok, false)
  t.equal(parseCount('-3').ok, false)
  t.equal(parseCount('99999999999999999999').ok, false, 'beyond what the API can return exactly')
  t.equal(parseShare('1.5').ok, false)
  t.same(parseShare('0'), { ok: true, value: '0' })
  t.same(parseAvailability('Sí'), { ok: true, value: 'true' })
  t.same(parseAvailability('NO'), { ok: true, value: 'false' })
  t.equal(parseAvailability('maybe').ok, false)
  t.equal(parsePeriodCode('2025-13', 'mensual').ok, false)
  t.equal(parsePeriodCode('2025-13', 'catorcenal').ok, true, 'the campaign type decides what a code means')
  t.equal(parsePeriodCode('2025-27', 'catorcenal').ok, false)
  // What the database would refuse is rejected here, so one bad cell cannot fail the whole run.
  t.equal(parseDate('0000-01-01').ok, false)
  t.equal(parseDate('2024-02-29').ok, true)
  t.equal(parseText('x'.repeat(201)).ok, false)
  t.equal(parseSmallCount('2147483648').ok, false)
  t.same(parseSmallCount('2147483647'), { ok: true, value: '2147483647' })
})

// What the cells mean, written the slow way: the fast paths in values.ts must agree on any text.
const NUMBER_LITERAL = /^\d+(\.\d+)?([eE][+-]?\d+)?$/
const numberLike = fc.oneof(
  fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '.', 'e', 'E', '-', '+', ' ', 'x'), maxLength: 12 }),
  fc.stringMatching(/^0{0,3}\d{1,330}(\.0{0,330}\d{1,4})?([eE][+-]?\d{1,3})?$/)
)

t.test('the fast checks of numbers, shares and integers agree with their definitions on any text', async (t) => {
  fc.assert(fc.property(numberLike, (raw) => {
    // What PostgreSQL's double precision accepts: finite, and not a non-zero literal that rounds to 0.
    const finite = NUMBER_LITERAL.test(raw) && Number.isFinite(Number(raw)) && (Number(raw) !== 0 || !/[1-9]/.test(raw.split(/e/i)[0]))
    const count = parseCount(raw)
    const integer = /^\d+$/.test(raw) && BigInt(raw) <= BigInt(Number.MAX_SAFE_INTEGER)
    return isNonNegative(raw) === finite &&
      isShare(raw) === (finite && Number(raw) <= 1) &&
      (count.ok && count.repair === undefined) === (integer || raw === '') &&
      (!integer || (count.ok && count.value === String(BigInt(raw))))
  }), { numRuns: 5000 })
  t.ok(isNonNegative('1'.repeat(300) + '.5'), '300 integer digits are finite')
  t.notOk(isNonNegative('9'.repeat(309)), '309 nines are beyond a double')
  t.notOk(isNonNegative('1e999'))
  t.notOk(isNonNegative('1e-400'), 'underflows to 0: PostgreSQL refuses it')
  t.notOk(isShare('0.' + '0'.repeat(400) + '1'))
  t.ok(isNonNegative('1e-310'), 'a subnormal double is stored')
  t.ok(isNonNegative('0e-400'), 'zero written with an exponent is zero')
  t.ok(isShare('0001.000'))
  t.notOk(isShare('1.0001'))
  t.ok(isShare('5e-1'))
  t.same(parseCount('9007199254740991'), { ok: true, value: '9007199254740991' }, '2^53 - 1, the largest integer JSON clients read exactly')
  t.match(parseCount('9007199254740992'), { ok: false, reason: /larger than 9007199254740991/ })
  t.same(parseCount('000009007199254740991'), { ok: true, value: '9007199254740991' }, 'leading zeros do not count against the limit')
  t.same(parseAvailability('Si'), { ok: true, value: 'true' })
  t.same(parseAvailability(' sí '), { ok: true, value: 'true' })
  t.same(parseAvailability('Si\u0301'), { ok: true, value: 'true' }, 'a decomposed accent reads the same')
})

t.test('headers compare without BOM, case, blanks or accents', async (t) => {
  t.equal(normaliseHeader('\uFEFFName '), 'name')
  t.equal(normaliseHeader('impactos_periodo_vehículos'), 'impactos_periodo_vehiculos')
})

t.test('the tolerance is the precision the campaigns file prints its totals with (8 significant digits)', async (t) => {
  t.equal(tolerance('4085755'), 0.5)
  t.equal(tolerance('503179350'), 5)
  t.ok(confirms(503179346.536, '503179350'))
  t.notOk(confirms(503179340, '503179350'))
  t.notOk(confirms(4085754, '4085755'))
})

const values = (raws: string[]) => raws.map((raw) => readImpact(raw) as Value)
const cells = (raws: string[]) => raws.map((raw, i) => ({ line: i + 2, raw }))

t.test('a lost decimal point is placed only when the values then add up to the total', async (t) => {
  const raws = ['1694495649442253', '16708404625281382', '16664573533897664']
  const confirmed = interpret(cells(raws), values(raws), '503179350')
  t.same(confirmed?.values.map((v) => v.text), ['169449564.9442253', '167084046.25281382', '166645735.33897664'],
    'a dropped trailing zero (16 digits instead of 17) does not move the point')
  t.same(confirmed?.values.map((v) => v.repairs[0]?.rule), ['lost-decimal-point', 'lost-decimal-point', 'lost-decimal-point'])
  t.equal(interpret(cells(raws), values(raws), '503179450'), undefined, 'a total 100 off confirms no placement')
  t.equal(interpret(cells(raws), values(raws), null), undefined, 'no total: nothing is rescaled')
})

t.test('swapped columns are detected only through the totals', async (t) => {
  const personas = ['1966169', '2039710']
  const vehiculos = ['12960-01-24', '13373-09-29']
  const swapped = decide(cells(personas), cells(vehiculos), values(personas), values(vehiculos), { personas: '8230308', vehiculos: '4005879' })
  t.equal(swapped.mapping, 'swapped')
  const straight = decide(cells(personas), cells(vehiculos), values(personas), values(vehiculos), { personas: '4005879', vehiculos: '8230308' })
  t.equal(straight.mapping, 'as-labelled')
  const neither = decide(cells(personas), cells(vehiculos), values(personas), values(vehiculos), { personas: '1', vehiculos: '2' })
  t.equal(neither.mapping, 'unconfirmed')
})
