import { createHash, randomBytes } from 'node:crypto'

/** An opaque refresh token: 256 random bits, base64url. Only its SHA-256 is ever stored. */
export function newRefreshToken (): string {
  return randomBytes(32).toString('base64url')
}

export function hashRefreshToken (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Cheap shape check before a database lookup: 32 bytes in base64url are 43 characters. */
export function looksLikeRefreshToken (value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value)
}
