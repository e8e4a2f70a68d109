import { isIP } from 'node:net'
import type { FastifyServerOptions } from 'fastify'

/**
 * TRUST_PROXY says which X-Forwarded-For entries the service believes, so request.ip (the per-IP
 * limits, the logs) is the right-most address no trusted proxy wrote. Three forms:
 * - addresses, CIDRs or proxy-addr's keywords (loopback, linklocal, uniquelocal): the proxies are
 *   those addresses, and the client is the right-most entry outside them (proxy-addr's walk);
 * - a hop count N: the N nearest hops are proxies, whatever their addresses (for a platform whose
 *   proxies' addresses are not published, such as Render: its proxy, then Cloudflare's edge, is 2).
 *   Fastify's own number option trusts nobody since 5.12.1, so the count is given as a function;
 * - `true`: every entry, so the client is the left-most one, which the client itself writes
 *   (issue 22: a forged X-Forwarded-For escaped the per-IP login limit). Refused in production.
 */
export type TrustProxy = NonNullable<FastifyServerOptions['trustProxy']>

const KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal'])
const HOP_COUNT = /^\s*\d+\s*$/
const MAX_HOPS = 10

const entries = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean)

/** Why TRUST_PROXY cannot be used, or undefined. */
export function trustProxyProblem (value: string | undefined, isProduction: boolean): string | undefined {
  if (value === undefined) return undefined
  if (value === 'true') {
    return isProduction
      ? 'TRUST_PROXY=true trusts every X-Forwarded-For entry, so the client address is the left-most one, which any client can write (per-IP limits and logs would believe it): give the proxies\' addresses or CIDRs, or the number of proxies in front of the service (Render: 2).'
      : undefined
  }
  if (HOP_COUNT.test(value)) {
    const hops = Number(value)
    return hops >= 1 && hops <= MAX_HOPS ? undefined : `TRUST_PROXY=${value.trim()} is a hop count outside 1 to ${MAX_HOPS}: give the number of proxies in front of the service, or leave it unset when none is.`
  }
  const bad = entries(value).filter((v) => !KEYWORDS.has(v) && !isAddressOrCidr(v))
  if (bad.length > 0) return `TRUST_PROXY has entries that are not addresses or CIDRs: ${bad.join(', ')} (allowed: IPs, CIDRs, loopback, linklocal, uniquelocal, a hop count, or "true" outside production).`
  return undefined
}

/** The trustProxy option Fastify gets for a TRUST_PROXY that trustProxyProblem accepted. */
export function trustProxyOption (value: string | undefined): TrustProxy {
  if (!value) return false
  if (value === 'true') return true
  if (HOP_COUNT.test(value)) {
    const hops = Number(value)
    // proxy-addr asks about each address from the socket's (hop 0) leftwards; the first untrusted one is the client.
    return (_address: string, hop: number) => hop < hops
  }
  return entries(value)
}

function isAddressOrCidr (value: string): boolean {
  const [address, prefix, ...rest] = value.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  const bits = Number(prefix)
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128)
}
