import type { CookieSerializeOptions } from '@fastify/cookie'
import type { Config } from '../../config.js'

export type RefreshCookie = { name: string, options: CookieSerializeOptions }

/**
 * The refresh cookie's name and attributes, in one place so set and clear always match.
 * Production: `__Host-` prefix (Secure, Path=/, no Domain enforced by browsers), SameSite=None
 * because the dashboard is on another site (COOKIE_SAMESITE=strict when both share a parent domain).
 * Development: plain name, not Secure, SameSite=Lax, so it works on http://localhost.
 */
export function refreshCookie (config: Pick<Config, 'isProduction' | 'COOKIE_SAMESITE'>): RefreshCookie {
  const sameSite = config.COOKIE_SAMESITE ?? (config.isProduction ? 'none' : 'lax')
  // Browsers drop SameSite=None cookies that are not Secure.
  const secure = config.isProduction || sameSite === 'none'
  return {
    name: config.isProduction ? '__Host-refresh_token' : 'refresh_token',
    options: { httpOnly: true, secure, sameSite, path: '/' }
  }
}
