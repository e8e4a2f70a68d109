import t from 'tap'
import { connect } from 'node:net'
import { Readable, Writable } from 'node:stream'
import { Type } from '@sinclair/typebox'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildTestApp, createUserWithToken, TEST_SECRET } from '../helper.js'
import { forgedTokens } from './support/forged-tokens.js'
import { listOperations, type OpenApiDocument } from './support/openapi.js'

const PROBLEM = /^application\/problem\+json/
const BODY_LIMIT = 64 * 1024

/** Sends raw bytes over TCP and resolves the status line of the answer. */
function rawStatus (port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    let received = ''
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      if (received.includes('\r\n')) {
        resolve(received.split('\r\n')[0])
        socket.destroy()
      }
    })
    socket.on('error', reject)
    socket.setTimeout(5000, () => reject(new Error('no answer in 5 s')))
  })
}

t.test('attacks on tokens, bodies, headers and logs', async (t) => {
  const logs: string[] = []
  const logStream = new Writable({ write (chunk, _encoding, done) { logs.push(chunk.toString()); done() } })
  const app = await buildTestApp(t, { LOG_LEVEL: 'trace', BODY_LIMIT_BYTES: String(BODY_LIMIT) }, { logStream })
  // Routes of the test app only: a protected read, a JSON body, and a bug, until the real routes land.
  app.get('/__probe', { schema: { hide: true }, preHandler: app.authenticate }, async (request) => ({ user: request.user }))
  app.post('/__probe/echo', { schema: { hide: true, body: Type.Object({ a: Type.Optional(Type.Unknown()) }) } }, async () => ({ ok: true }))
  app.get('/__probe/boom', { schema: { hide: true } }, async () => { throw new Error('boom at select * from users') })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  const user = await createUserWithToken(app, { role: 'owner' })
  const operations = listOperations(app.swagger() as unknown as OpenApiDocument)
  const protectedUrls = ['/__probe', ...operations.filter((op) => op.secured && op.method === 'GET' && !op.parameters.some((p) => p.required)).map((op) => op.path)]
  const postUrls = ['/__probe/echo', ...operations.filter((op) => op.body && !op.parameters.some((p) => p.in === 'path')).map((op) => op.path)]
  const seen: LightMyRequestResponse[] = []
  const inject = async (options: InjectOptions | string) => {
    const response = await app.inject(options)
    seen.push(response)
    return response
  }
  const sentTokens: string[] = [user.token]

  t.test('forged, expired and damaged access tokens are refused with a 401 problem', async (t) => {
    const forged = forgedTokens(user, TEST_SECRET)
    for (const url of protectedUrls) {
      const genuine = await inject({ url, headers: { authorization: user.authorization } })
      t.equal(genuine.statusCode, 200, `${url}: the genuine token is accepted (the attacks below are refused for their flaw)`)
      for (const [name, token] of forged) {
        sentTokens.push(token)
        const response = await inject({ url, headers: { authorization: `Bearer ${token}` } })
        t.equal(response.statusCode, 401, `${url}: ${name}`)
        t.match(response.headers['content-type'], PROBLEM)
        t.match(response.headers['www-authenticate'], /^Bearer/)
      }
      for (const header of ['', 'Bearer', 'Bearer ', `Basic ${Buffer.from('admin:admin').toString('base64')}`, `Token ${user.token}`, `Bearer ${user.token} extra`]) {
        const response = await inject({ url, headers: header ? { authorization: header } : {} })
        t.equal(response.statusCode, 401, `${url}: Authorization "${header.slice(0, 12)}…" is refused`)
      }
    }
    t.comment(`attacks: ${forged.length + 6} forged or malformed credentials refused on ${protectedUrls.length} protected route(s)`)
  })

  t.test('enormous bodies are refused with 413 without reading them whole', async (t) => {
    for (const url of postUrls) {
      // With a valid token: routes that authenticate before reading the body would answer 401 first.
      const headers = { 'content-type': 'application/json', authorization: user.authorization }
      const big = await inject({ method: 'POST', url, headers, payload: JSON.stringify({ a: 'x'.repeat(BODY_LIMIT * 4) }) })
      t.equal(big.statusCode, 413, `${url}: a ${BODY_LIMIT * 4} byte JSON body`)
      t.match(big.headers['content-type'], PROBLEM)
      // No Content-Length: the limit must hold on the bytes actually streamed.
      const chunks = Readable.from((function * () { for (let i = 0; i < 64; i++) yield Buffer.alloc(16 * 1024, 'x') })())
      const streamed = await inject({ method: 'POST', url, headers, payload: chunks })
      t.equal(streamed.statusCode, 413, `${url}: a 1 MB chunked body without Content-Length`)
    }
  })

  t.test('deeply nested JSON never costs a 5xx nor much time', async (t) => {
    const depth = 10_000
    const bodies = {
      arrays: '['.repeat(depth) + ']'.repeat(depth),
      objects: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
      'prototype pollution': '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'
    }
    for (const url of postUrls) {
      for (const [name, payload] of Object.entries(bodies)) {
        const started = Date.now()
        const response = await inject({ method: 'POST', url, headers: { 'content-type': 'application/json', authorization: user.authorization }, payload })
        const ms = Date.now() - started
        t.ok(response.statusCode < 500, `${url}: ${name} answered ${response.statusCode} in ${ms} ms`)
        t.ok(ms < 5000, `${url}: ${name} took ${ms} ms`)
        if (response.statusCode >= 400) t.match(response.headers['content-type'], PROBLEM)
      }
    }
    t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was not polluted')
  })

  t.test('headers over the limits are refused by the HTTP parser', async (t) => {
    const bigHeader = await rawStatus(port, `GET /health/live HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
    t.match(bigHeader, /^HTTP\/1\.1 431/, `a 20 kB header: ${bigHeader}`)
    const bigUrl = await rawStatus(port, `GET /health/live?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`)
    t.match(bigUrl, /^HTTP\/1\.1 4\d\d/, `a 20 kB URL: ${bigUrl}`)
    const token = `Bearer ${'a'.repeat(20_000)}`
    const bigToken = await rawStatus(port, `GET /__probe HTTP/1.1\r\nHost: a\r\nAuthorization: ${token}\r\n\r\n`)
    t.match(bigToken, /^HTTP\/1\.1 431/, `a 20 kB Authorization header: ${bigToken}`)
    const smuggled = await rawStatus(port, 'POST /__probe/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')
    t.match(smuggled, /^HTTP\/1\.1 400/, `Content-Length with Transfer-Encoding (request smuggling): ${smuggled}`)
  })

  t.test('security headers are on every response, errors and 404s included', async (t) => {
    await inject('/health/live')
    await inject('/no/such/route')
    await inject({ method: 'DELETE', url: '/health/live' })
    await inject({ method: 'POST', url: '/__probe/echo', headers: { 'content-type': 'application/xml' }, payload: '<a/>' })
    await inject({ method: 'POST', url: '/__probe/echo', payload: { a: 1, b: 2 } })
    await inject('/__probe/boom')
    await inject('/docs/json')
    const statuses = new Set(seen.map((r) => r.statusCode))
    t.ok(statuses.size >= 5, `responses with statuses ${[...statuses].sort().join(', ')} were checked (${seen.length} in all)`)
    const missing: string[] = []
    for (const response of seen) {
      const h = response.headers
      const problems = [
        h['x-content-type-options'] !== 'nosniff' && 'x-content-type-options',
        !/frame-ancestors 'none'/.test(String(h['content-security-policy'])) && 'content-security-policy',
        !h['x-frame-options'] && 'x-frame-options',
        h['referrer-policy'] !== 'no-referrer' && 'referrer-policy',
        !h['cross-origin-resource-policy'] && 'cross-origin-resource-policy',
        h['x-powered-by'] !== undefined && 'x-powered-by present',
        !h['x-request-id'] && 'x-request-id'
      ].filter(Boolean)
      if (problems.length) missing.push(`${response.statusCode} ${response.raw.req.url}: ${problems.join(', ')}`)
    }
    t.same(missing, [], 'every response carried the security headers')
    const boom = seen.find((r) => r.statusCode === 500)!
    t.notMatch(boom.body, /select|users|stack/, 'the 500 leaks no internals')
    const tooLong = await inject({ method: 'POST', url: `/__probe/${'x'.repeat(600)}` })
    t.equal(tooLong.statusCode, 404, 'an over-long path segment on no route is a 404')
    const badUrl = await inject('/health/%E0%A4%A')
    t.ok(badUrl.statusCode === 400 || badUrl.statusCode === 404, `a malformed percent-encoding answers ${badUrl.statusCode}`)
    t.match(badUrl.headers['content-type'], PROBLEM)
  })

  t.test('CORS answers only the configured origins', async (t) => {
    const foreign = await inject({ url: '/health/live', headers: { origin: 'https://evil.example' } })
    t.equal(foreign.headers['access-control-allow-origin'], undefined, 'a foreign origin gets no Access-Control-Allow-Origin')
    const preflight = await inject({ method: 'OPTIONS', url: '/__probe', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } })
    t.equal(preflight.headers['access-control-allow-origin'], undefined, 'a foreign preflight is not allowed')
    const friend = await inject({ url: '/health/live', headers: { origin: 'http://dashboard.test' } })
    t.equal(friend.headers['access-control-allow-origin'], 'http://dashboard.test')
    t.equal(friend.headers['access-control-allow-credentials'], 'true')
    // Problems the router answers before any hook (an over-long name, a malformed URL) are readable by the dashboard too.
    for (const url of [`/v2/campaigns/${'a'.repeat(501)}`, '/v2/campaigns/%E0%A4%A']) {
      const early = await inject({ url, headers: { origin: 'http://dashboard.test' } })
      t.ok(early.statusCode === 400 || early.statusCode === 414, `${url.slice(0, 30)}: ${early.statusCode}`)
      t.equal(early.headers['access-control-allow-origin'], 'http://dashboard.test', `${url.slice(0, 30)}: readable from the dashboard`)
      const stranger = await inject({ url, headers: { origin: 'https://evil.example' } })
      t.equal(stranger.headers['access-control-allow-origin'], undefined, `${url.slice(0, 30)}: not from a foreign origin`)
    }
  })

  t.test('nothing sensitive reaches the logs', async (t) => {
    const all = logs.join('')
    t.ok(logs.length > 50, `${logs.length} log lines were captured at level trace`)
    t.notOk(all.includes(TEST_SECRET), 'the signing secret is never logged')
    const leaked = sentTokens.filter((token) => token.length > 20 && all.includes(token))
    t.same(leaked.length, 0, `none of the ${sentTokens.length} tokens sent is in the logs`)
    const signatures = sentTokens.map((token) => token.split('.')[2]).filter((s) => s && s.length > 20)
    t.same(signatures.filter((s) => all.includes(s)), [], 'no token signature is in the logs')
  })
})
