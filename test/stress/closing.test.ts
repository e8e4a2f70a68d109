import t from 'tap'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { buildTestApp } from '../helper.js'

// A request arriving on an open connection while the app closes is refused with a 503 problem
// document (Connection: close, Retry-After, security headers), not Fastify's own plain JSON.
// Pipelined behind a request still in flight, so it reaches the app after close() has begun.
t.test('a request arriving while the app closes gets a 503 problem', async (t) => {
  const app = await buildTestApp(t)
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
  socket.write('GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n')
  await new Promise((resolve) => setTimeout(resolve, 100))
  release()
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))])
  socket.destroy()
  await closed

  const answers = received.split(/(?=HTTP\/1\.1 )/)
  t.equal(answers.length, 2, 'two answers on the connection')
  t.match(answers[0], /^HTTP\/1\.1 200 /, 'the request in flight finished')
  const refused = answers[1] ?? ''
  t.match(refused, /^HTTP\/1\.1 503 /, 'the late request is refused with 503')
  t.match(refused, /\r\ncontent-type: application\/problem\+json/i, 'as a problem document')
  t.match(refused, /\r\nconnection: close/i, 'closing the connection')
  t.match(refused, /\r\nretry-after: \d+/i, 'with Retry-After')
  t.match(refused, /\r\nx-content-type-options: nosniff/i, 'with the security headers')
  const body = JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4))
  t.equal(body.status, 503)
  t.equal(body.instance, '/health/live')
})
