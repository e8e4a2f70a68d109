import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'

/** True when If-None-Match lists this tag (weak comparison, as RFC 9110 asks for GET) or is "*". */
export function ifNoneMatchHits (header: string | undefined, etag: string): boolean {
  if (!header) return false
  const bare = etag.replace(/^W\//, '')
  return header.split(',').map((t) => t.trim()).some((t) => t === '*' || t.replace(/^W\//, '') === bare)
}

/**
 * Adds ETag (a hash of the serialised body) to this plugin's 200 answers and turns a matching
 * If-None-Match into 304. Runs in onSend, after serialisation, so the tag is of the exact bytes.
 * The answers depend on the caller's company: private, revalidated every time, varying by token.
 */
export function addEtags (app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return payload
    const etag = `"${createHash('sha256').update(payload).digest('base64url').slice(0, 32)}"`
    // Added to, not replacing, what CORS put there (Vary: Origin).
    const vary = reply.getHeader('vary')
    reply.header('etag', etag).header('cache-control', 'private, no-cache').header('vary', vary ? `${String(vary)}, authorization` : 'authorization')
    if (!ifNoneMatchHits(request.headers['if-none-match'], etag)) return payload
    reply.code(304).removeHeader('content-type').removeHeader('content-length')
    return ''
  })
}
