import t, { type Test } from 'tap'
import type { Page, Response } from 'playwright-core'
import { runSeeds } from '../../src/db/seeder.js'
import { buildTestApp } from '../helper.js'
import { openBrowser } from '../support/browser.js'

// A newcomer's first minutes: the app seeded as `npm start` seeds a new embedded database (the same
// seeds through the same runSeeds: the development owner and db/sample-data), listening; then
// /docs in a browser: log in with the example body, Authorize, and "Try it out" on the list, a
// detail and an analytics route without touching any field.

async function seededApp (t: Test): Promise<string> {
  const app = await buildTestApp(t)
  await runSeeds(app.db, undefined, { log: { info: () => {}, debug: () => {} } })
  return app.listen({ host: '127.0.0.1', port: 0 })
}

/** Opens an operation, presses "Try it out" and "Execute" as they are, and returns the API's answer. */
async function tryItOut (page: Page, method: string, apiPath: string): Promise<Response> {
  const block = page.locator(`.opblock-${method}`).filter({ has: page.locator(`.opblock-summary-path[data-path="${apiPath}"]`) })
  await block.locator('.opblock-summary').first().click()
  await block.getByRole('button', { name: 'Try it out' }).click()
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === method.toUpperCase() && new URL(r.url()).pathname.startsWith(apiPath.replace(/\{.*$/, ''))),
    block.getByRole('button', { name: 'Execute' }).click()
  ])
  // The page shows the same status the API answered.
  await block.locator('.live-responses-table tr.response .response-col_status').filter({ hasText: String(response.status()) }).waitFor()
  return response
}

t.test('/docs on the seeded data: log in, authorize, try the list, a detail and an analytics route as they stand', async (t) => {
  const base = await seededApp(t)
  const context = await openBrowser(t)
  const page = await context.newPage()
  await page.goto(`${base}/docs/`)
  t.match(await page.title(), /Campaign Analytics API/, 'the page title names the service')

  const login = await tryItOut(page, 'post', '/v2/auth/token')
  t.equal(login.status(), 200, 'the login example is the development login')
  const { access_token: token } = await login.json() as { access_token: string }
  t.ok(token, 'an access token')

  await page.locator('.btn.authorize').first().click()
  const dialog = page.locator('.modal-ux')
  t.equal(await dialog.locator('.auth-container').count(), 1, 'Authorize offers one way in')
  await dialog.locator('input').fill(token)
  await dialog.locator('button.modal-btn.authorize').click()
  await dialog.locator('button.modal-btn.btn-done').click()

  const list = await tryItOut(page, 'get', '/v2/campaigns')
  t.equal(list.status(), 200, 'the list answers')
  t.same(Object.fromEntries(new URL(list.url()).searchParams), { limit: '5', sort: 'name', include_total: 'false' }, 'only the defaults are sent, no filter')
  t.ok(((await list.json()) as { data: unknown[] }).data.length > 0, 'the list has seeded campaigns')

  const detail = await tryItOut(page, 'get', '/v2/campaigns/{name}')
  t.equal(detail.status(), 200, 'the detail example names a seeded campaign')
  const { campaign, periods, sites } = await detail.json() as { campaign: { name: string }, periods: unknown[], sites: unknown[] }
  t.ok(periods.length > 0 && sites.length > 0, `${campaign.name} has periods and sites`)

  const summary = await tryItOut(page, 'get', '/v2/campaigns/{name}/summary')
  t.equal(summary.status(), 200, 'the analytics summary answers')
  const body = await summary.json() as { name: string }
  t.equal(body.name, campaign.name, 'a summary of the same campaign')
  t.ok(Object.keys(body).length > 3, 'with figures')
})
