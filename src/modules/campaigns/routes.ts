import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { CampaignCreate, CampaignDetail, CampaignListItem, CampaignListQuery, CampaignNameParams, CampaignPage, CampaignPatch } from '../../../schemas/campaigns.js'
import { BEARER_SECURITY, COMMON_PROBLEMS, NoContent, problemResponses } from '../../../schemas/common.js'
import { deriveCursorKey } from './cursor.js'
import * as service from './service.js'

const security = BEARER_SECURITY

/**
 * This request's path and query with the cursor replaced: the next page's URL. URLSearchParams
 * alone, because parsing the whole URL (new URL) cost three times as much per list request.
 */
function withCursor (url: string, cursor: string): string {
  const queryStart = url.indexOf('?')
  const params = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1))
  params.set('cursor', cursor)
  return `${queryStart === -1 ? url : url.slice(0, queryStart)}?${params}`
}

/**
 * The campaigns resource: keyset list, detail, and the admin writes. Every query is scoped to the
 * caller's company. Authentication runs onRequest, before body parsing and validation, so an
 * anonymous caller learns nothing about the schemas and costs no parsing.
 */
export default async function campaignRoutes (fastify: FastifyInstance, { secretKey }: { secretKey: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const cursorKey = deriveCursorKey(secretKey)

  app.get('/campaigns', {
    onRequest: app.authenticate,
    schema: {
      tags: ['campaigns'],
      summary: 'List campaigns, a page at a time (keyset pagination)',
      description: 'Follow next_cursor (or the Link rel="next" header) for the next page; a cursor only works with the filters and sort it was made for.',
      security,
      querystring: CampaignListQuery,
      response: { 200: { ...CampaignPage, description: 'A page of campaigns; next_cursor is null on the last one' }, ...problemResponses(...COMMON_PROBLEMS, 401) }
    }
  }, async (request, reply) => {
    const page = await service.listPage(app.readDb, cursorKey, request.user.companyId, request.query)
    if (page.next_cursor) reply.header('link', `<${withCursor(request.url, page.next_cursor)}>; rel="next"`)
    return page
  })

  app.get('/campaigns/:name', {
    onRequest: app.authenticate,
    schema: {
      tags: ['campaigns'],
      summary: 'One campaign with its periods and its sites (per-site totals and per-period rows)',
      security,
      params: CampaignNameParams,
      response: { 200: { ...CampaignDetail, description: 'The campaign, its periods and its sites' }, ...problemResponses(...COMMON_PROBLEMS, 401, 404) }
    }
  }, async (request) => service.getDetail(app.readDb, request.user.companyId, request.params.name))

  app.post('/campaigns', {
    onRequest: app.requireRole('admin'),
    schema: {
      tags: ['campaigns'],
      summary: 'Create a campaign (admin or owner)',
      security,
      body: CampaignCreate,
      response: {
        201: { ...CampaignListItem, description: 'The new campaign', headers: { location: Type.String({ description: 'The new campaign\'s URL', examples: ['/v2/campaigns/Nueva'] }) } },
        ...problemResponses(...COMMON_PROBLEMS, 401, 403, 409, 413, 415)
      }
    }
  }, async (request, reply) => {
    const created = await service.createCampaign(app.db, request.user.companyId, request.body)
    return reply.code(201).header('location', `${app.prefix}/campaigns/${encodeURIComponent(created.name)}`).send(created)
  })

  app.patch('/campaigns/:name', {
    onRequest: app.requireRole('admin'),
    schema: {
      tags: ['campaigns'],
      summary: 'Change some fields of a campaign (admin or owner); unknown fields are refused',
      security,
      params: CampaignNameParams,
      body: CampaignPatch,
      response: { 200: { ...CampaignListItem, description: 'The campaign as changed' }, ...problemResponses(...COMMON_PROBLEMS, 401, 403, 404, 409, 413, 415) }
    }
  }, async (request) => service.patchCampaign(app.db, request.user.companyId, request.params.name, request.body))

  app.delete('/campaigns/:name', {
    onRequest: app.requireRole('owner'),
    schema: {
      tags: ['campaigns'],
      summary: 'Delete a campaign with its periods and site facts (owner)',
      security,
      params: CampaignNameParams,
      response: { 204: NoContent, ...problemResponses(...COMMON_PROBLEMS, 401, 403, 404) }
    }
  }, async (request, reply) => {
    await service.removeCampaign(app.db, request.user.companyId, request.params.name)
    return reply.code(204).send(null)
  })
}
