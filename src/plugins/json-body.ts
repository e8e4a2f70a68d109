import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { HttpProblem } from '../errors.js'

/**
 * JSON bodies must be UTF-8 (RFC 8259 §8.1). Fastify's own parser decodes with replacement, so
 * invalid bytes were stored as U+FFFD (issue 22) where the CSV importer refuses them. This parser
 * decodes strictly and hands the text to Fastify's own JSON parser, which keeps its
 * prototype-poisoning refusals (__proto__ and constructor.prototype, "error" by default) and its
 * answers to an empty or malformed body.
 */
async function jsonBodyPlugin (app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error')
  const decoder = new TextDecoder('utf-8', { fatal: true })
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    let text: string
    try {
      text = decoder.decode(body)
    } catch {
      done(new HttpProblem(400, 'The JSON body is not valid UTF-8: send it encoded as UTF-8.'), undefined)
      return
    }
    parseJson(request, text, done)
  })
}

export default fp(jsonBodyPlugin, { name: 'json-body', fastify: '5.x' })
