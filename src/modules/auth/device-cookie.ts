import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { CookieSerializeOptions } from '@fastify/cookie'
import type { Config } from '../../config.js'
import { refreshCookie } from './cookie.js'

/** How long a browser stays known after its last successful login (each success issues a new cookie). */
export const DEVICE_COOKIE_DAYS = 180

/**
 * OWASP's device cookie ("Slow Down Online Guessing Attacks with Device Cookies"): set on a
 * successful login, it marks the browser as one that has logged in to this account before, so the
 * lockout of untrusted clients that an attacker triggers does not lock the owner out. Its value is
 * `account.nonce.signature`: the account is the hash the login limiter keys on (never the email),
 * the nonce names this device for its own failure count, and an HMAC of both under SECRET_KEY makes
 * it unforgeable. httpOnly, and the refresh cookie's Secure and SameSite (the dashboard logs in
 * cross-site in production).
 */
export function deviceCookie (config: Pick<Config, 'isProduction' | 'COOKIE_SAMESITE'>): { name: string, options: CookieSerializeOptions } {
  const { options } = refreshCookie(config)
  return {
    name: config.isProduction ? '__Host-device' : 'device',
    options: { ...options, path: '/', maxAge: DEVICE_COOKIE_DAYS * 24 * 3600 }
  }
}

/** The account an email names, as the limiters and the device cookie know it: a hash, so no store holds an address. */
export function accountKey (email: string): string {
  return createHash('sha256').update(email).digest('hex')
}

const signature = (secret: string, account: string, nonce: string) =>
  createHmac('sha256', secret).update(`device-cookie:${account}.${nonce}`).digest('base64url')

export function issueDeviceCookie (secret: string, account: string): string {
  const nonce = randomBytes(16).toString('base64url')
  return `${account}.${nonce}.${signature(secret, account, nonce)}`
}

/** The device's nonce when `value` is a genuine device cookie for `account`, else undefined (an untrusted client). */
export function trustedDevice (secret: string, value: string | undefined, account: string): string | undefined {
  const [cookieAccount, nonce, mac, ...rest] = value?.split('.') ?? []
  if (!cookieAccount || !nonce || !mac || rest.length > 0 || cookieAccount !== account) return undefined
  const expected = Buffer.from(signature(secret, account, nonce))
  const given = Buffer.from(mac)
  return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : undefined
}
