import t from 'tap'
import { buildTestApp } from '../helper.js'

// Finding 3 of issue 22: a 979 KB body of 90,000 unknown keys answered an 8.2 MB 400 with one
// error per key and wrote a 3 MB log line. The answer and the log line must stay small.
const MAX_ERRORS = 10
const MAX_PROBLEM_BYTES = 8 * 1024
const MAX_LOG_LINE_BYTES = 16 * 1024

function manyUnknownKeys (count: number): string {
  const body: Record<string, string | number> = { email: 'ana@example.com', password: 'Tangerine-Violin-42' }
  for (let i = 0; i < count; i++) body[`k${i}`] = 0
  return JSON.stringify(body)
}

t.test('90,000 unknown keys to /v2/auth/token: a small 400 with a few errors, and a bounded log line', async (t) => {
  const lines: string[] = []
  const app = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: { write: (line: string) => { lines.push(line) } } })
  const payload = manyUnknownKeys(90_000)
  t.ok(payload.length > 900_000 && payload.length < 1_048_576, `the body is ${payload.length} bytes, under the 1 MB body limit`)

  const response = await app.inject({ method: 'POST', url: '/v2/auth/token', headers: { 'content-type': 'application/json' }, payload })
  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.ok(response.rawPayload.length <= MAX_PROBLEM_BYTES, `the problem document is ${response.rawPayload.length} bytes (at most ${MAX_PROBLEM_BYTES})`)
  const problem = response.json()
  t.ok(problem.errors.length >= 1 && problem.errors.length <= MAX_ERRORS, `${problem.errors.length} errors (1 to ${MAX_ERRORS})`)
  t.match(problem.errors[0], { field: /^body\.k\d+$/, message: 'is not a known field' }, 'the errors still name the fields')

  const longest = Math.max(...lines.map((line) => Buffer.byteLength(line)))
  t.ok(lines.length > 0, 'something was logged')
  t.ok(longest <= MAX_LOG_LINE_BYTES, `the longest log line is ${longest} bytes (at most ${MAX_LOG_LINE_BYTES})`)
  t.ok(lines.some((line) => /request rejected/.test(line)), 'the rejection is logged')
})

t.test('a few bad fields are all reported, as before', async (t) => {
  const app = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/v2/auth/register', payload: { email: 'not-an-email', password: 'short', extra: 1 } })
  t.equal(response.statusCode, 400)
  const fields = response.json().errors.map((e: { field: string }) => e.field).sort()
  t.same(fields, ['body.email', 'body.extra', 'body.password'])
})

t.test('a long error message is cut in the detail, the errors and the log line', async (t) => {
  const lines: string[] = []
  const app = await buildTestApp(t, { LOG_LEVEL: 'info' }, { logStream: { write: (line: string) => { lines.push(line) } } })
  // Fifty unknown keys of 400 characters: few errors, but each names a long field.
  const body: Record<string, string> = {}
  for (let i = 0; i < 50; i++) body[`${'k'.repeat(400)}${i}`] = 'x'
  const response = await app.inject({ method: 'POST', url: '/v2/auth/token', payload: body })
  t.equal(response.statusCode, 400)
  t.ok(response.rawPayload.length <= MAX_PROBLEM_BYTES, `the problem document is ${response.rawPayload.length} bytes`)
  t.ok(Math.max(...lines.map((line) => Buffer.byteLength(line))) <= MAX_LOG_LINE_BYTES, 'the log lines are bounded')
})
