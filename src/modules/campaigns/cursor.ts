import { createHmac, hash as digest, timingSafeEqual } from 'node:crypto'
import type { CampaignFilters, Sort } from '../../../schemas/campaigns.js'
import { badRequest } from '../../errors.js'

/** The position after which the next page starts: the last row's sort key and id. */
export type CursorPosition = { key: string | number | null, id: number }

type CursorPayload = { v: 1, s: Sort, h: string, k: string | number | null, i: number }

/** The cursor key is derived, so the raw SECRET_KEY never signs two kinds of things. */
export function deriveCursorKey (secretKey: string): Buffer {
  return createHmac('sha256', secretKey).update('campaign-list-cursor/v1').digest()
}

/** Binds a cursor to its tenant, sort and filters: reused elsewhere it is refused, not misapplied. */
export function filtersHash (companyId: number, sort: Sort, filters: CampaignFilters): string {
  const canonical = JSON.stringify([companyId, sort, filters.tipo_campania ?? null, filters.start_date ?? null,
    filters.end_date ?? null, filters.q ?? null, filters.zm ?? null, filters.estado ?? null])
  return digest('sha256', canonical, 'base64url').slice(0, 22)
}

const sign = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest('base64url')

export function encodeCursor (key: Buffer, sort: Sort, hash: string, position: CursorPosition): string {
  const payload: CursorPayload = { v: 1, s: sort, h: hash, k: position.key, i: position.id }
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url')
  return `${body}.${sign(key, body)}`
}

const invalid = (why: string) => badRequest(`Invalid cursor: ${why}. Start again without a cursor.`, [{ field: 'querystring.cursor', message: why }])

const KEY_SHAPES: Record<string, (k: unknown) => boolean> = {
  name: (k) => typeof k === 'string',
  fecha_inicio: (k) => typeof k === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(k),
  impactos_personas: (k) => k === null || Number.isSafeInteger(k),
  alcance: (k) => k === null || Number.isSafeInteger(k)
}

/** Verifies the signature first, so nothing of an unsigned cursor is ever parsed or used. */
export function decodeCursor (key: Buffer, cursor: string, sort: Sort, hash: string): CursorPosition {
  const parts = cursor.split('.')
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw invalid('it is malformed')
  const [body, signature] = parts
  const expected = Buffer.from(sign(key, body))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('its signature does not match')
  let payload: CursorPayload
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'))
  } catch {
    throw invalid('it is malformed')
  }
  if (payload?.v !== 1 || !Number.isSafeInteger(payload.i)) throw invalid('it is malformed')
  if (payload.s !== sort || payload.h !== hash) throw invalid('it was made for another sort or other filters')
  if (!KEY_SHAPES[sort.replace(/^-/, '')](payload.k)) throw invalid('it is malformed')
  return { key: payload.k, id: payload.i }
}
