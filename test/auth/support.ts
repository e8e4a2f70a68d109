import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { uniqueName } from '../helper.js'

/** Not in the common-password list, 8..128 characters. */
export const PASSWORD = 'Tangerine-Violin-42'
export const COOKIE = 'refresh_token'
/** What the dashboard sends with cookie-authenticated requests (FRONTEND_ORIGINS of testConfig). */
export const DASHBOARD = { origin: 'http://dashboard.test' }

export function uniqueEmail (prefix = 'user'): string {
  return `${uniqueName(prefix)}@example.com`
}

export async function register (app: FastifyInstance, body: { email?: string, password?: string, company_name?: string } = {}) {
  const email = body.email ?? uniqueEmail('owner')
  const response = await app.inject({ method: 'POST', url: '/v2/auth/register', payload: { password: PASSWORD, ...body, email } })
  return { response, email: email.trim().toLowerCase(), user: response.json() }
}

export function login (app: FastifyInstance, email: string, password = PASSWORD) {
  return app.inject({ method: 'POST', url: '/v2/auth/token', payload: { email, password } })
}

export function refreshTokenOf (response: LightMyRequestResponse, name = COOKIE): string | undefined {
  return response.cookies.find((c) => c.name === name)?.value
}

export function refresh (app: FastifyInstance, token: string | undefined, headers: Record<string, string> = DASHBOARD) {
  return app.inject({ method: 'POST', url: '/v2/auth/refresh', headers, cookies: token === undefined ? {} : { [COOKIE]: token } })
}

export function logout (app: FastifyInstance, token: string | undefined, headers: Record<string, string> = DASHBOARD) {
  return app.inject({ method: 'POST', url: '/v2/auth/logout', headers, cookies: token === undefined ? {} : { [COOKIE]: token } })
}

/** A registered owner, logged in: its access token and refresh token. */
export async function loggedIn (app: FastifyInstance) {
  const { email, user } = await register(app)
  const response = await login(app, email)
  return { email, user, access: response.json().access_token as string, refreshToken: refreshTokenOf(response) as string }
}

/** The problem document without what differs per request. */
export function problemBody (response: LightMyRequestResponse) {
  const { request_id: _requestId, ...rest } = response.json()
  return rest
}
