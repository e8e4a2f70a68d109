import { deepStrictEqual } from 'node:assert/strict'
import t from 'tap'
import fc from 'fast-check'
import { openTestDatabase } from '../support/database.js'
import { withFlatArrays } from '../../src/db/type-parsers.js'

const general = () => 'general parser'

t.test('a one-dimensional array of unquoted items is split; anything else goes to the general parser', async (t) => {
  const ints = withFlatArrays(general, Number)
  t.same(ints('{1,-2,NULL,2147483647}'), [1, -2, null, 2147483647])
  t.same(ints('{}'), [])
  t.same(ints('{7}'), [7])
  t.equal(ints('{{1,2},{3,4}}'), 'general parser', 'nested arrays')
  t.equal(ints('[0:1]={5,6}'), 'general parser', 'explicit bounds')
  const texts = withFlatArrays(general, (text) => text)
  t.same(texts('{2025-01,2025-02,NULL}'), ['2025-01', '2025-02', null])
  t.equal(texts('{"a,b",c}'), 'general parser', 'quoted items')
  t.equal(texts('{"NULL"}'), 'general parser', 'the string NULL is quoted by PostgreSQL')
  t.equal(texts('{a\\b}'), 'general parser', 'escapes')
})

t.test('int4[] and text[] values come back from the database as they were sent', async (t) => {
  const connection = await openTestDatabase()
  t.teardown(() => connection.close())
  const roundTrip = async (value: unknown, type: 'int4[]' | 'text[]') =>
    (await connection.pool.query(`select $1::${type} as value`, [value])).rows[0].value
  const int4 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
  await t.resolves(fc.assert(fc.asyncProperty(fc.array(fc.option(int4, { nil: null }), { maxLength: 30 }), async (values) => {
    deepStrictEqual(await roundTrip(values, 'int4[]'), values)
  }), { numRuns: 150 }), '150 random int4[] arrays (NULLs, extremes, empty) round-trip')
  // Items PostgreSQL must quote (commas, braces, quotes, backslashes, spaces, '' and 'NULL') and plain ones.
  const text = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', ',', '{', '}', '"', '\\', ' ', 'ñ', 'é') }),
    fc.constantFrom('NULL', 'null', '', '2025-01', 'catorcena 3'),
    fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\u0000'))
  )
  await t.resolves(fc.assert(fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 12 }), async (values) => {
    deepStrictEqual(await roundTrip(values, 'text[]'), values)
  }), { numRuns: 150 }), '150 random text[] arrays (quoted, escaped, unicode, NULL and "NULL") round-trip')
  t.same((await connection.pool.query("select '{{1,2},{3,NULL}}'::int4[] as value")).rows[0].value, [[1, 2], [3, null]], 'nested arrays still parse')
})
