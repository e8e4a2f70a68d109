import t from 'tap'
import { PassThrough } from 'node:stream'
import { buildTestApp, createUserWithToken, ENGINE, openTestDatabase, uniqueName } from '../helper.js'
import { PASSWORD } from '../auth/support.js'
import { importCampaignFiles } from '../../src/modules/imports/index.js'
import { appendExport, cleanExport, csv, postForm, streams, CAMPAIGN_HEADER } from './fixtures.js'

// README: "Two imports into one company wait for each other (an advisory lock); the import
// transaction has no statement timeout." PGlite has one connection (the second import waits for
// the pool), so this needs PostgreSQL (TEST_DATABASE_URL).

const upload = (app: Awaited<ReturnType<typeof buildTestApp>>, authorization: string, name: string) => postForm(app, authorization, (form) => appendExport(form, cleanExport(name)))

t.test('a second POST /imports into a company waits for a running import longer than DB_STATEMENT_TIMEOUT_MS, then succeeds (not a 503)', { skip: ENGINE !== 'postgres' && 'PostgreSQL only (TEST_DATABASE_URL)' }, async (t) => {
  // The pool's statement timeout scaled down from its 15 s default to 1 s; the running import lasts ~2.5 s (a large file).
  const connection = await openTestDatabase({ DB_STATEMENT_TIMEOUT_MS: 1000 })
  const app = await buildTestApp(t, {}, { connection })
  const admin = await createUserWithToken(app, { role: 'admin' })

  // A running import of the same company whose campaigns file is still arriving (a slow, large upload or CLI run).
  const slow = new PassThrough()
  const data = cleanExport('primera')
  const running = importCampaignFiles(app.database, { companyId: admin.companyId, files: { ...streams(data), campaigns: slow } })
  slow.write(csv(CAMPAIGN_HEADER, []))
  await new Promise((resolve) => setTimeout(resolve, 200))

  const second = upload(app, admin.authorization, 'segunda')
  setTimeout(() => slow.end(csv(CAMPAIGN_HEADER, data.campaigns).split('\n').slice(1).join('\n')), 2500)
  const [first, response] = await Promise.all([running, second])
  t.equal(first.committed, true, 'the running import committed')
  t.equal(response.statusCode, 200, `the second import waited for the first and ran (got ${response.statusCode}: ${response.body.slice(0, 200)})`)
})

// An import by company name creates the company inside its long transaction: a registration of
// the same name must not wait for the import (nor be cancelled by the statement timeout, a 503).
t.test('registering a company name an import is creating answers 409 without waiting for the import', { skip: ENGINE !== 'postgres' && 'PostgreSQL only (TEST_DATABASE_URL)' }, async (t) => {
  const connection = await openTestDatabase({ DB_STATEMENT_TIMEOUT_MS: 1000 })
  const app = await buildTestApp(t, {}, { connection })
  const companyName = uniqueName('Imported Co')

  // A running import whose campaigns file is still arriving (a large file, a slow disk).
  const slow = new PassThrough()
  const data = cleanExport('primera')
  let importFinished = false
  const running = importCampaignFiles(app.database, { companyName, files: { ...streams(data), campaigns: slow } })
    .finally(() => { importFinished = true })
  slow.write(csv(CAMPAIGN_HEADER, []))
  await new Promise((resolve) => setTimeout(resolve, 500))

  const registering = app.inject({ method: 'POST', url: '/v2/auth/register', payload: { email: `${uniqueName('owner')}@example.com`, password: PASSWORD, company_name: companyName } })
    .then((response) => ({ response, importFinishedFirst: importFinished }))
  setTimeout(() => slow.end(csv(CAMPAIGN_HEADER, data.campaigns).split('\n').slice(1).join('\n')), 6000)
  const [report, { response, importFinishedFirst }] = await Promise.all([running, registering])
  t.equal(report.committed, true, 'the import committed')
  t.equal(response.statusCode, 409, `the name is taken (got ${response.statusCode}: ${response.json().detail})`)
  t.equal(importFinishedFirst, false, 'answered while the import was still running')
})
