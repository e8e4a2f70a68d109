import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { buildTestApp, uniqueName } from '../helper.js'
import { insertCampaigns } from '../support/campaign-fixtures.js'
import type { Page } from 'playwright-core'
import { openBrowser } from '../support/browser.js'
import { PASSWORD, register } from '../auth/support.js'

// The old dashboard's journey over v1 in a real browser: its page on one origin (a port of its
// own), the API on another, so CORS with credentials, preflights and the refresh cookie are real.

const PAGE = await readFile(new URL('./dashboard/index.html', import.meta.url), 'utf8')

type Answer = { status: number, data: any, deprecation: string | null }

/** Runs one of the page's dashboard calls (an expression in the page; tsconfig has no DOM types). */
const run = (page: Page, expression: string) => page.evaluate(expression) as Promise<Answer>
/** What the dashboard holds once its access token has expired. */
const expireAccessToken = (page: Page) => page.evaluate('localStorage.setItem("access_token", "expired.token.value")')

async function listen (server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

t.test('the old dashboard logs in, pages, filters, opens a detail, adds a user, refreshes silently in two tabs and logs out', async (t) => {
  const pageServer = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE))
  const pagePort = await listen(pageServer)
  t.teardown(() => pageServer.close())
  const origin = `http://127.0.0.1:${pagePort}`

  const app = await buildTestApp(t, { FRONTEND_ORIGINS: origin })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const api = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const { email, user } = await register(app, { company_name: uniqueName('Dashboard Co') })
  const names = Array.from({ length: 12 }, (_, i) => `Campaña ${String(i).padStart(2, '0')}`)
  await insertCampaigns(app.db, user.company_id, names.map((name, i) => ({ name, tipo_campania: i % 2 ? 'mensual' : 'catorcenal', fecha_inicio: `2025-0${1 + (i % 6)}-01`, fecha_fin: `2025-0${1 + (i % 6)}-20` })))

  const browser = await openBrowser(t)
  const tab = await browser.newPage()
  await tab.goto(`${origin}/?api=${encodeURIComponent(api)}`)

  await tab.fill('input[name=username]', email)
  await tab.fill('input[name=password]', PASSWORD)
  await tab.click('button[type=submit]')
  await tab.waitForFunction('document.getElementById("status").textContent !== ""')
  t.equal(await tab.textContent('#status'), 'logged in', 'form login')
  const cookies = await browser.cookies(api)
  t.ok(cookies.find((c) => c.name === 'refresh_token')?.httpOnly, 'the refresh cookie is set, httpOnly')

  const me = await run(tab, 'dashboard.me()')
  t.same([me.status, me.data.email], [200, email])
  t.match(me.deprecation, /^@\d+$/, 'v1 answers say they are deprecated')

  const pageCount = await tab.evaluate('dashboard.showPage(0, 5)') as number
  t.equal(pageCount, 3, 'ceil(total / pageSize) pages')
  t.same(await tab.$$eval('#campaigns td:first-child', (cells) => cells.map((c) => c.textContent)), names.slice(0, 5), 'the first page in the table')
  const seen: string[] = []
  for (let page = 0; page < pageCount; page++) {
    const answer = await run(tab, `dashboard.page(${page}, 5)`)
    seen.push(...answer.data.data.map((c: { name: string }) => c.name))
  }
  t.same(seen, names, 'paging by skip shows every campaign once')

  const filtered = await run(tab, 'dashboard.page(0, 20, { tipo_campania: "mensual", start_date: "2025-02-01", end_date: "2025-03-31" })')
  t.same(filtered.data.data.map((c: { name: string }) => c.name), names.filter((_, i) => i % 2 === 1 && [1, 2].includes(i % 6)), 'the type and date filters')

  const detail = await run(tab, `dashboard.detail(${JSON.stringify(names[3])})`)
  t.same([detail.status, detail.data.name, detail.data.fecha_inicio], [200, names[3], '2025-04-01'], 'the detail, flat')

  const created = await run(tab, `dashboard.createUser(${JSON.stringify({ email: `${uniqueName('added')}@example.com`, password: PASSWORD, role: 'admin' })})`)
  t.same([created.status, created.data.role], [201, 'admin'], 'the owner adds a user')

  // An expired access token: the interceptor refreshes once and retries.
  await expireAccessToken(tab)
  const retried = await run(tab, 'dashboard.me()')
  t.equal(retried.status, 200, 'a silent refresh after a 401')

  // Two tabs, one cookie jar, both refreshing at once with the same cookie.
  const second = await browser.newPage()
  await second.goto(`${origin}/?api=${encodeURIComponent(api)}`)
  await Promise.all([tab, second].map((p) => expireAccessToken(p)))
  const both = await Promise.all([tab, second].map((p) => run(p, 'dashboard.me()')))
  t.same(both.map((answer) => answer.status), [200, 200], 'both tabs refresh at the same time')
  const later = await Promise.all([tab, second].map((p) => run(p, 'dashboard.page(0, 5)')))
  t.same(later.map((answer) => answer.status), [200, 200], 'and both stay logged in')
  await expireAccessToken(tab)
  t.equal((await run(tab, 'dashboard.me()')).status, 200, 'the session still refreshes afterwards')

  const loggedOut = await run(tab, 'dashboard.logout()')
  t.same([loggedOut.status, loggedOut.data], [200, { ok: true }], 'logout')
  t.notOk((await browser.cookies(api)).some((c) => c.name === 'refresh_token' && c.value !== ''), 'the cookie is gone')
  await expireAccessToken(tab)
  t.equal((await run(tab, 'dashboard.me()')).status, 401, 'after logout no refresh succeeds')
})
