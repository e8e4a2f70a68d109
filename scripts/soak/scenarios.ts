import type { Scenario } from './traffic.js'
import { SOAK_EMAIL, SOAK_PASSWORD } from './database.js'

export type Doc = { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> }

export const SOAK_ORIGIN = 'http://soak.test'

/**
 * The mixed traffic, from what the OpenAPI document lists: list pages, details, summaries,
 * logins and refreshes. Missing endpoints are reported in `skipped` and left out.
 */
export function buildScenarios (doc: Doc, authorization: string, campaigns: number): { scenarios: Scenario[], login?: Scenario, skipped: string[] } {
  const scenarios: Scenario[] = []
  let login: Scenario | undefined
  const skipped: string[] = []
  const has = (method: string, path: string) => Boolean(doc.paths[path]?.[method])
  const auth = { authorization }
  const randomName = () => `Campaign ${String(1 + Math.floor(Math.random() * campaigns)).padStart(6, '0')}`

  scenarios.push({ name: 'readiness GET /health', weight: 1, request: () => ({ method: 'GET', path: '/health' }) })

  if (has('get', '/v2/campaigns')) {
    scenarios.push({ name: 'list GET /campaigns', weight: 6, request: () => ({ method: 'GET', path: `/v2/campaigns?limit=${[20, 50, 100][Math.floor(Math.random() * 3)]}`, headers: auth }) })
  } else skipped.push('list pages: GET /campaigns is not in the document yet')

  const detail = Object.keys(doc.paths).find((p) => /^\/v2\/campaigns\/\{[^}/]+\}$/.test(p) && doc.paths[p].get)
  if (detail) {
    scenarios.push({ name: `detail GET ${detail}`, weight: 6, request: () => ({ method: 'GET', path: detail.replace(/\{[^}]+\}/, encodeURIComponent(randomName())), headers: auth }) })
  } else skipped.push('details: GET /campaigns/{name} is not in the document yet')

  const summaries = Object.keys(doc.paths).filter((p) => (p.startsWith('/v2/analytics') || /summary/.test(p)) && !p.includes('{') && doc.paths[p].get)
  for (const path of summaries) scenarios.push({ name: `summary GET ${path}`, weight: 3, request: () => ({ method: 'GET', path, headers: auth }) })
  if (summaries.length === 0) skipped.push('summaries: no GET /analytics/* or summary route in the document yet')

  const token = doc.paths['/v2/auth/token']?.post
  if (token) {
    const content = token.requestBody?.content ?? {}
    const form = 'application/x-www-form-urlencoded' in content
    const fields = Object.keys((form ? content['application/x-www-form-urlencoded'] : content['application/json'])?.schema?.properties ?? { username: 1 })
    const user = fields.includes('email') ? 'email' : 'username'
    const values = { [user]: SOAK_EMAIL, password: SOAK_PASSWORD }
    // Each client logs in once as it arrives (runTraffic's opening), then again now and then: a
    // dashboard user logs in once a session, and argon2 makes each login cost tens of ms of a core.
    login = {
      name: 'login POST /auth/token',
      weight: 0.1,
      request: () => form
        ? { method: 'POST', path: '/v2/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SOAK_ORIGIN }, body: new URLSearchParams(values).toString() }
        : { method: 'POST', path: '/v2/auth/token', headers: { 'content-type': 'application/json', origin: SOAK_ORIGIN }, body: JSON.stringify(values) }
    }
    scenarios.push(login)
  } else skipped.push('logins: POST /auth/token is not in the document yet')

  if (doc.paths['/v2/auth/refresh']?.post && login) {
    // Each client refreshes with the cookie its last login or refresh set (rotation); without one it logs in.
    const loginScenario = login
    scenarios.push({
      name: 'refresh POST /auth/refresh',
      weight: 1,
      request: (state) => state.cookie
        ? { method: 'POST', path: '/v2/auth/refresh', headers: { cookie: state.cookie, origin: SOAK_ORIGIN } }
        : loginScenario.request(state)
    })
  } else skipped.push('refreshes: POST /auth/refresh is not in the document yet')

  return { scenarios, login, skipped }
}
