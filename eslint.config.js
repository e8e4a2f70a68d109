import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'coverage/**', '.tap/**', '.data/**', 'node_modules/**', 'test/client/api-types.ts'] })
]
