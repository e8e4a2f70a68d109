import t, { type Test } from 'tap'
import { readFile, stat } from 'node:fs/promises'
import { Type } from '@sinclair/typebox'
import importRoutes, { type ImportFiles } from '../../src/modules/imports/routes.js'
import { buildTestApp, createUserWithToken } from '../helper.js'

// The HTTP part (multipart, roles, limits, clean-up) is tested against a stand-in importer with the
// real signature that records what it was given; test/imports/upload.test.ts runs the real one.
// The stand-in's copy of the routes lives under its own prefix, beside the app's own /imports.
const URL = '/stand-in/imports'
const Report = Type.Object({ companyId: Type.Integer(), sizes: Type.Record(Type.String(), Type.Integer()) })

async function setUp (t: Test) {
  const app = await buildTestApp(t)
  const calls: Array<{ companyId: number, contents: Record<string, string>, paths: string[] }> = []
  const importFiles: ImportFiles = async (_connection, { companyId, files }) => {
    const contents: Record<string, string> = Object.fromEntries(await Promise.all(Object.entries(files).map(async ([k, p]) => [k, await readFile(p, 'utf8')])))
    calls.push({ companyId, contents, paths: Object.values(files) })
    return { companyId, sizes: Object.fromEntries(Object.entries(contents).map(([k, v]) => [k, v.length])) }
  }
  await app.register(importRoutes, { prefix: '/stand-in', importFiles, reportSchema: Report, uploadLimitBytes: 4096 })
  return { app, calls }
}

async function multipart (parts: Record<string, string>) {
  const form = new FormData()
  for (const [name, content] of Object.entries(parts)) form.append(name, new Blob([content], { type: 'text/csv' }), `${name}.csv`)
  const request = new Request('http://localhost/imports', { method: 'POST', body: form })
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! }
}

const FILES = { campaigns: 'name,tipo\nA,mensual\n', periods: 'name,period\nA,2025-01\n', sites: 'name,site\nA,S1\n' }

t.test('POST /imports hands the three uploaded files to the importer for the caller\'s company, then removes them', async (t) => {
  const { app, calls } = await setUp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const { payload, contentType } = await multipart(FILES)
  const response = await app.inject({ method: 'POST', url: URL, payload, headers: { authorization: admin.authorization, 'content-type': contentType } })
  t.equal(response.statusCode, 200, response.body)
  t.same(response.json(), { companyId: admin.companyId, sizes: { campaigns: FILES.campaigns.length, periods: FILES.periods.length, sites: FILES.sites.length } })
  t.same(calls[0].contents, FILES)
  for (const p of calls[0].paths) await t.rejects(stat(p), 'spooled file removed')
})

t.test('POST /imports: roles, missing, unknown and oversized files', async (t) => {
  const { app, calls } = await setUp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const viewer = await createUserWithToken(app, { role: 'viewer', companyId: admin.companyId })
  const send = async (authorization: string, parts: Record<string, string>) => {
    const { payload, contentType } = await multipart(parts)
    return app.inject({ method: 'POST', url: URL, payload, headers: { authorization, 'content-type': contentType } })
  }
  t.equal((await send(viewer.authorization, FILES)).statusCode, 403)
  t.equal((await app.inject({ method: 'POST', url: URL, payload: FILES })).statusCode, 401)
  const missing = await send(admin.authorization, { campaigns: FILES.campaigns })
  t.equal(missing.statusCode, 400)
  t.same(missing.json().errors.map((e: { field: string }) => e.field), ['body.periods', 'body.sites'])
  const unknown = await send(admin.authorization, { campaigns: FILES.campaigns, extra: 'x' })
  t.equal(unknown.statusCode, 400)
  t.same(unknown.json().errors, [{ field: 'body.extra', message: 'is not a known field' }])
  // A fourth part is refused as a malformed form, saying what to send (multipart's own answer was a 413 "reach parts limit").
  const fourth = await send(admin.authorization, { ...FILES, extra: 'x' })
  t.equal(fourth.statusCode, 400, 'a fourth part')
  t.match(fourth.json().detail, /^More than 3 parts were sent: send only the files campaigns, periods, sites\./)
  const big = await send(admin.authorization, { ...FILES, sites: 'x'.repeat(5000) })
  t.equal(big.statusCode, 413, big.body)
  t.equal(big.headers['content-type'], 'application/problem+json; charset=utf-8')
  const json = await app.inject({ method: 'POST', url: URL, payload: FILES, headers: { authorization: admin.authorization } })
  t.equal(json.statusCode, 415)
  t.equal(calls.length, 0, 'the importer never ran')
})
