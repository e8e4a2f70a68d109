import t from 'tap'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helper.js'
import { listOperations, ResponseValidator, type OpenApiDocument } from './support/openapi.js'

/**
 * The raw answers on one connection when `url` is pipelined behind a request still in flight, so
 * it reaches the app after close() has begun.
 */
async function answersWhileClosing (app: FastifyInstance, url: string): Promise<string[]> {
  let release = () => {}
  let entered = () => {}
  const inside = new Promise<void>((resolve) => { entered = resolve })
  app.get('/slow-for-closing-test', async () => {
    entered()
    await new Promise<void>((resolve) => { release = resolve })
    return { ok: true }
  })
  let closeBegan = () => {}
  const closing = new Promise<void>((resolve) => { closeBegan = resolve })
  app.addHook('preClose', async () => { closeBegan() })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo

  const socket = connect(port, '127.0.0.1')
  let received = ''
  socket.on('data', (chunk) => { received += chunk.toString('latin1') })
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()))
  socket.write('GET /slow-for-closing-test HTTP/1.1\r\nHost: test\r\n\r\n')
  await inside
  const closed = app.close()
  await closing
  socket.write(`GET ${url} HTTP/1.1\r\nHost: test\r\n\r\n`)
  await new Promise((resolve) => setTimeout(resolve, 100))
  release()
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))])
  socket.destroy()
  await closed
  return received.split(/(?=HTTP\/1\.1 )/)
}

const bodyOf = (answer: string) => answer.slice(answer.indexOf('\r\n\r\n') + 4)

// A request arriving on an open connection while the app closes is refused with a 503 problem
// document (Connection: close, Retry-After, security headers), not Fastify's own plain JSON.
t.test('a request arriving while the app closes gets a 503 problem', async (t) => {
  const answers = await answersWhileClosing(await buildTestApp(t), '/health/live')
  t.equal(answers.length, 2, 'two answers on the connection')
  t.match(answers[0], /^HTTP\/1\.1 200 /, 'the request in flight finished')
  const refused = answers[1] ?? ''
  t.match(refused, /^HTTP\/1\.1 503 /, 'the late request is refused with 503')
  t.match(refused, /\r\ncontent-type: application\/problem\+json/i, 'as a problem document')
  t.match(refused, /\r\nconnection: close/i, 'closing the connection')
  t.match(refused, /\r\nretry-after: \d+/i, 'with Retry-After')
  t.match(refused, /\r\nx-content-type-options: nosniff/i, 'with the security headers')
  const body = JSON.parse(bodyOf(refused))
  t.equal(body.status, 503)
  t.equal(body.instance, '/health/live')
})

// /health declares its own 503 body ({status}); a problem document there failed serialisation (a 500).
t.test('the readiness probe of a closing app answers its own documented 503: not ready', async (t) => {
  // The contract from another instance: this one must not be ready before its test route is added.
  const doc = (await (await buildTestApp(t)).inject({ url: '/docs/json' })).json() as OpenApiDocument
  const health = listOperations(doc).find((op) => op.label === 'GET /health')!
  const answers = await answersWhileClosing(await buildTestApp(t), '/health')
  t.equal(answers.length, 2, 'two answers on the connection')
  const late = answers[1] ?? ''
  t.match(late, /^HTTP\/1\.1 503 /, 'refused while closing')
  t.match(late, /\r\nretry-after: \d+/i)
  t.same(JSON.parse(bodyOf(late)), { status: 'unhealthy' })
  const contentType = /\r\ncontent-type: ([^\r]+)/i.exec(late)?.[1]
  t.same(new ResponseValidator(doc).check(health.responses, health.label, 503, contentType, bodyOf(late)), { ok: true }, 'as /docs/json declares')
})
