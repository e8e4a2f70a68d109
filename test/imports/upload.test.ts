import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { SAMPLE_DATA_DIR } from '../../db/seeds/02_sample_campaigns.js'
import { FILE_NAMES } from '../../src/modules/imports/index.js'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { appendExport, cleanExport, CAMPAIGN_HEADER, postForm } from './fixtures.js'

t.test('POST /imports with the real importer: report back, then the campaign is listed, detailed and summarised', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const response = await postForm(app, admin.authorization, (form) => appendExport(form, cleanExport('subida')))
  t.equal(response.statusCode, 200, response.body.slice(0, 500))
  t.equal(response.json().committed, true)
  const list = await app.inject({ url: '/v2/campaigns', headers: { authorization: admin.authorization } })
  t.equal(list.json().data[0].name, 'subida')
  for (const path of ['', '/summary', '/periods/summary', '/sites/summary']) {
    const r = await app.inject({ url: `/v2/campaigns/subida${path}`, headers: { authorization: admin.authorization } })
    t.equal(r.statusCode, 200, `${path} ${r.body.slice(0, 300)}`)
  }
  const doc = await app.inject('/docs/json')
  t.ok(doc.json().paths['/v2/imports'].post)
  const metrics = await app.inject('/metrics')
  const loaded = /^import_rows_total\{outcome="loaded"\} (\d+)/m.exec(metrics.body)
  const files = Object.values(response.json().files) as Array<{ rowsLoaded: number }>
  t.equal(Number(loaded?.[1]), files.reduce((sum, f) => sum + f.rowsLoaded, 0), 'import_rows_total{outcome="loaded"} counts the rows the report says were loaded')
})

t.test('POST /imports with a malformed multipart body is a 400 problem, not a 500', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const response = await app.inject({ method: 'POST', url: '/v2/imports', payload: '\ufffe', headers: { authorization: admin.authorization, 'content-type': 'multipart/form-data; boundary=zz' } })
  t.equal(response.statusCode, 400)
  t.match(response.headers['content-type'], /^application\/problem\+json/)
  t.match(response.json().detail, /multipart body is malformed/)
})

t.test('POST /imports with a file the importer cannot read is a 400 naming the file, and stores nothing', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const data = cleanExport('ilegible')
  const bodies: Record<string, string> = {
    'a missing required column': 'name,foo\r\nilegible,y\r\n',
    'an empty file': '',
    'an unclosed quote': `${CAMPAIGN_HEADER.join(',')}\r\n"ilegible,mensual\r\n`
  }
  for (const [label, campaigns] of Object.entries(bodies)) {
    const response = await postForm(app, admin.authorization, (form) => appendExport(form, data, campaigns))
    t.equal(response.statusCode, 400, `${label}: ${response.body.slice(0, 300)}`)
    t.match(response.headers['content-type'], /^application\/problem\+json/)
    t.match(response.json(), { detail: /^campaigns file: .+ Nothing was stored/, errors: [{ field: 'body.campaigns', message: /\S/ }] }, label)
  }
  const list = await app.inject({ url: '/v2/campaigns', headers: { authorization: admin.authorization } })
  t.same(list.json().data, [])
})

t.test('POST /imports is documented as a form of three files, and a text field or a fourth part is a 400 saying what to send', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const doc = (await app.inject('/docs/json')).json()
  const form = doc.paths['/v2/imports'].post.requestBody.content['multipart/form-data'].schema
  t.same(Object.keys(form.properties).sort(), ['campaigns', 'periods', 'sites'])
  t.same(Object.values(form.properties).map((p) => (p as { format: string }).format), ['binary', 'binary', 'binary'], 'a file picker per field in Swagger UI')
  const send = (build: (form: FormData) => void) => postForm(app, admin.authorization, build)
  const text = await send((body) => body.append('campaigns', 'name,tipo_campania'))
  t.equal(text.statusCode, 400)
  t.match(text.json().detail, /A text field was sent: send campaigns, periods, sites as file parts/)
  const four = await send((body) => { for (const name of ['campaigns', 'periods', 'sites', 'extra']) body.append(name, new Blob(['x']), `${name}.csv`) })
  t.equal(four.statusCode, 400)
  t.match(four.json().detail, /^More than 3 parts were sent: send only the files campaigns, periods, sites\./)
})

// The project's sample exports carry a conflict (campania_17 twice with different figures), as real ones do.
t.test('POST /imports takes the CLI\'s choices: ?partial=true&on_conflict=last stores what the default refuses', async (t) => {
  const app = await buildTestApp(t)
  const admin = await createUserWithToken(app, { role: 'admin' })
  const upload = (query: string) => postForm(app, admin.authorization, (form) => {
    for (const [kind, name] of Object.entries(FILE_NAMES)) form.append(kind, new Blob([readFileSync(path.join(SAMPLE_DATA_DIR, name))]), name)
  }, `/v2/imports${query}`)
  const refused = await upload('')
  t.equal(refused.statusCode, 200)
  t.match(refused.json(), { committed: false, partial: false, conflictPolicy: 'reject' })
  const stored = await upload('?partial=true&on_conflict=last')
  t.equal(stored.statusCode, 200, stored.body.slice(0, 300))
  t.match(stored.json(), { committed: true, partial: true, conflictPolicy: 'last' })
  t.equal(stored.json().campaigns.accepted.length, 40)
  for (const [query, field] of [['?on_conflict=merge', 'querystring.on_conflict'], ['?partial=perhaps', 'querystring.partial'], ['?dry_run=1', 'querystring']]) {
    const bad = await upload(query)
    t.equal(bad.statusCode, 400, query)
    t.ok(bad.json().errors?.some((e: { field: string }) => e.field.startsWith(field)), `${query} names ${field}: ${bad.body.slice(0, 300)}`)
  }
})
