import { createHmac, createSign, generateKeyPairSync, randomUUID } from 'node:crypto'
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../../src/plugins/authentication.js'

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

export type Claims = Record<string, unknown>

/** The claims a genuine access token carries, for the given user. */
export function genuineClaims (user: { id: number, companyId: number, role: string }): Claims {
  const now = Math.floor(Date.now() / 1000)
  return { sub: String(user.id), cid: user.companyId, role: user.role, token_use: 'access', jti: randomUUID(), iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now, exp: now + 600 }
}

export function hs256 (claims: Claims, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const unsigned = `${b64(header)}.${b64(claims)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}

export function rs256 (claims: Claims): { token: string, publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url')
  return { token: `${unsigned}.${signature}`, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }
}

const without = (claims: Claims, key: string) => Object.fromEntries(Object.entries(claims).filter(([k]) => k !== key))

/** Every forged or damaged access token the service must refuse with 401, by name. */
export function forgedTokens (user: { id: number, companyId: number, role: string }, secret: string): Array<[string, string]> {
  const claims = genuineClaims(user)
  const now = Math.floor(Date.now() / 1000)
  const rsa = rs256(claims)
  const tokens: Array<[string, string]> = [
    ['alg none, no signature', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`],
    ['alg None (case variant)', `${b64({ alg: 'None', typ: 'JWT' })}.${b64(claims)}.`],
    ['alg none with the genuine signature kept', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.${hs256(claims, secret).split('.')[2]}`],
    ['HS256 signed with another key', hs256(claims, 'another-secret-key-that-is-long-enough-0123456789')],
    ['RS256 signed with an attacker key', rsa.token],
    ['header says RS256, HMAC-signed with the real secret', hs256(claims, secret, { alg: 'RS256', typ: 'JWT' })],
    ['HS256 signed with an RSA public key as the secret', hs256(claims, rsa.publicKey)],
    ['header says HS512', hs256(claims, secret, { alg: 'HS512', typ: 'JWT' })],
    ['jku/kid headers pointing elsewhere', hs256(claims, 'attacker-key', { alg: 'HS256', typ: 'JWT', kid: '../../dev/null', jku: 'https://evil.example/jwks.json' })],
    ['expired', hs256({ ...claims, iat: now - 3600, exp: now - 60 }, secret)],
    ['not valid yet (nbf in the future)', hs256({ ...claims, nbf: now + 3600 }, secret)],
    ['wrong audience', hs256({ ...claims, aud: 'another-service' }, secret)],
    ['wrong issuer', hs256({ ...claims, iss: 'https://evil.example' }, secret)],
    ['refresh token used as access token', hs256({ ...claims, token_use: 'refresh' }, secret)],
    ['unknown role', hs256({ ...claims, role: 'superuser' }, secret)],
    ['non-numeric subject', hs256({ ...claims, sub: '1 OR 1=1' }, secret)],
    ['non-numeric company', hs256({ ...claims, cid: 'all' }, secret)],
    ['tampered payload (role raised, signature kept)', (() => {
      const [header, , signature] = hs256({ ...claims, role: 'viewer' }, secret).split('.')
      return `${header}.${b64({ ...claims, role: 'owner' })}.${signature}`
    })()],
    ['truncated signature', hs256(claims, secret).slice(0, -10)],
    ['two segments only', hs256(claims, secret).split('.').slice(0, 2).join('.')],
    ['not base64', 'Ω.Ω.Ω'],
    ['100 kB of garbage', 'a'.repeat(100_000)]
  ]
  for (const claim of ['sub', 'cid', 'role', 'token_use', 'jti', 'iss', 'aud', 'iat', 'exp']) {
    tokens.push([`missing claim ${claim}`, hs256(without(claims, claim), secret)])
  }
  return tokens
}
