import t from 'tap'
import { Type } from '@sinclair/typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { problemResponses } from '../../schemas/common.js'
import { failureDiagnostic, fuzzContext, fuzzOperation, tagAnsweringRoute } from './support/fuzz-runner.js'

// The fuzzer checks itself on routes whose behaviour is known: its schema-valid requests must pass
// Fastify's own validation (else a "finding" could be the generator's fault), and it must catch a
// route that breaks its contract.
const SEED = 20261128
const RUNS = 150

const Item = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  count: Type.Integer({ minimum: 0, maximum: 1000 }),
  ratio: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  kind: Type.Union([Type.Literal('mensual'), Type.Literal('catorcenal')]),
  from: Type.String({ format: 'date' }),
  at: Type.Optional(Type.String({ format: 'date-time' })),
  code: Type.Optional(Type.String({ pattern: '^[A-Z]{2}-[0-9]{3}$' })),
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 10 }), { maxItems: 3, uniqueItems: true }),
  note: Type.Union([Type.String({ maxLength: 20 }), Type.Null()]),
  nested: Type.Optional(Type.Object({ a: Type.Integer(), b: Type.Optional(Type.Boolean()) }, { additionalProperties: false }))
}, { additionalProperties: false })

t.test('schema-valid generated requests pass Fastify validation; bad answers are caught', async (t) => {
  const app = await buildTestApp(t)
  tagAnsweringRoute(app)
  const api = app.withTypeProvider<TypeBoxTypeProvider>()
  api.post('/__fuzz/items/:name', {
    schema: {
      tags: ['campaigns'],
      params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) }),
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        sort: Type.Optional(Type.Union([Type.Literal('name'), Type.Literal('-fecha_inicio')])),
        day: Type.Optional(Type.String({ format: 'date' }))
      }),
      body: Item,
      security: [{ bearerAuth: [] }],
      response: { 200: Type.Object({ name: Type.String(), count: Type.Integer() }), ...problemResponses(400, 401, 404, 413, 415) }
    },
    preHandler: app.authenticate
  }, async (request) => ({ name: request.params.name, count: request.body.count }))
  app.get('/__fuzz/undeclared', { schema: { tags: ['health'], response: { 200: Type.Object({ ok: Type.Boolean() }) } } },
    async (_request, reply) => reply.code(422 as 200).send({ message: 'not a problem, not declared' } as never))
  app.get('/__fuzz/crash', { schema: { tags: ['health'], response: { 200: Type.Object({ ok: Type.Boolean() }) } } },
    async () => { throw new Error('boom') })
  app.get('/__fuzz/wrong-shape', { schema: { tags: ['health'], response: { 200: Type.Object({ ok: Type.Boolean() }), 400: Type.Object({ ok: Type.Boolean() }) } } },
    async (_request, reply) => reply.code(400).send({ ok: false }))
  await app.ready()
  const user = await createUserWithToken(app)
  const ctx = fuzzContext(app, user.token, {})
  const find = (label: string) => ctx.operations.find((op) => op.label === label)!

  const items = await fuzzOperation(ctx, find('POST /__fuzz/items/{name}'), { runs: RUNS, seed: SEED })
  t.comment(items.summary)
  t.notOk(items.details.failed, 'a route that keeps its contract passes', failureDiagnostic(items, SEED))
  t.ok(items.validAnswers.length >= 20, `${items.validAnswers.length} schema-valid requests with credentials were generated`)
  t.same(items.validAnswers.filter((a) => a.status !== 200), [], 'every schema-valid request was accepted by Fastify (the generator makes valid input)')
  t.ok((items.statuses.get(400) ?? 0) >= 20, `${items.statuses.get(400) ?? 0} invalid requests were rejected with 400`)
  t.ok((items.statuses.get(401) ?? 0) >= 5, `${items.statuses.get(401) ?? 0} requests without valid credentials got 401`)
  t.ok((items.statuses.get(415) ?? 0) >= 1, `${items.statuses.get(415) ?? 0} wrongly typed bodies got 415`)

  for (const [label, expected] of [
    ['GET /__fuzz/undeclared', /status 422 is not declared/],
    ['GET /__fuzz/crash', /answered 500/],
    ['GET /__fuzz/wrong-shape', /400 is not application\/problem\+json/]
  ] as const) {
    const outcome = await fuzzOperation(ctx, find(label), { runs: 20, seed: SEED })
    t.ok(outcome.details.failed, `${label}: the breach is found`)
    t.match(String((outcome.details.errorInstance as Error)?.message), expected)
  }
})
