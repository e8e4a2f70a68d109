import argon2 from 'argon2'
import { argon2Work } from './argon2-queue.js'
import commonPasswords from './common-passwords.json' with { type: 'json' }
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../schemas/auth.js'

/** OWASP's minimum for argon2id (m=19 MiB, t=2, p=1). Raising these rehashes users at their next login. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

const COMMON = new Set<string>(commonPasswords)

/**
 * The service's own name and words, which NIST SP 800-63B lists among what a password must not be
 * ("context-specific words"): compared without case, spaces, punctuation or leading/trailing digits,
 * so "Campaign-Analytics-2024" is refused too.
 */
const SERVICE_WORDS = new Set(['campaign', 'campaigns', 'analytics', 'campaignanalytics', 'campaignsanalytics', 'campaignanalyticsapi', 'analyticsapi'])

const serviceWord = (password: string) => SERVICE_WORDS.has(password.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '').replace(/^\d+|\d+$/g, ''))

/** Why a new password is refused, or undefined when it is acceptable. Runs before any hashing. */
export function passwordProblem (password: string, email?: string): string | undefined {
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) return `The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`
  if (password.trim() === '') return 'The password must not be only spaces.'
  const lower = password.toLowerCase()
  if (serviceWord(password)) return 'The password must not be this service\'s name: choose another.'
  if (COMMON.has(lower)) return 'This password is among the most common ones and easy to guess: choose another.'
  if (email && (lower === email || lower === email.split('@')[0])) return 'The password must not be your email address.'
  return undefined
}

export function hashPassword (password: string): Promise<string> {
  return argon2Work(() => argon2.hash(password, ARGON2_OPTIONS))
}

// A real hash of a random password, so an unknown email costs one verification like a known one.
let dummyHash: Promise<string> | undefined

const dummy = () => (dummyHash ??= hashPassword(crypto.randomUUID()))

/** Computes the dummy hash at start-up, so even the first unknown-email login costs no extra hash. */
export async function prepareDummyHash (): Promise<void> {
  await dummy()
}

/**
 * Verifies `password` against `hash`; without a hash (unknown user) it verifies against a dummy
 * so both cases take about the same time, and answers false.
 */
export async function verifyPassword (hash: string | undefined, password: string): Promise<boolean> {
  const target = hash ?? await dummy()
  // A malformed stored hash (e.g. imported from elsewhere) is a failed login, not a 500; a full queue is a 503.
  const ok = await argon2Work(() => argon2.verify(target, password).catch(() => false))
  return ok && hash !== undefined
}

export function needsRehash (hash: string): boolean {
  try {
    return argon2.needsRehash(hash, ARGON2_OPTIONS)
  } catch {
    return true
  }
}
