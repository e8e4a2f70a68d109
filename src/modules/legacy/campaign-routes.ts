import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from '../../config.js'
import { CampaignNameParams } from '../../../schemas/campaigns.js'
import { BEARER_SECURITY as security, COMMON_PROBLEMS, NoContent, problemResponses } from '../../../schemas/common.js'
import { LegacyCampaign, LegacyCampaignCreate, LegacyCampaignDetail, LegacyCampaignList, LegacyCampaignPage, LegacyCampaignUpdate, LegacyListQuery, LegacySearchQuery } from '../../../schemas/legacy.js'
import { removeCampaign } from '../campaigns/service.js'
import { serveAsLegacy } from './deprecation.js'
import * as legacy from './service.js'

/**
 * The old service's campaign routes (v1): its shapes over today's campaign services. Each names
 * its /v2 successor, sent in the Link header.
 */
export default async function legacyCampaignRoutes (fastify: FastifyInstance, { config }: { config: Config }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  serveAsLegacy(app, { sunset: config.LEGACY_SUNSET })
  const problems = (...statuses: number[]) => problemResponses(...COMMON_PROBLEMS, 401, ...statuses)

  app.get('/campaigns/', {
    config: { successor: '/v2/campaigns' },
    onRequest: app.authenticate,
    schema: {
      summary: 'A page of campaigns by skip and limit, in creation order, with the total',
      description: 'The date range (an overlap with the flight) applies when both start_date and end_date are given.',
      security,
      querystring: LegacyListQuery,
      response: { 200: LegacyCampaignPage, ...problems() }
    }
  }, async (request) => legacy.listPage(app.readDb, request.user.companyId, request.query))

  app.get('/campaigns/search-by-date/', {
    config: { successor: '/v2/campaigns' },
    onRequest: app.authenticate,
    schema: {
      summary: 'Every campaign whose flight overlaps the dates, unpaginated',
      description: `More than ${legacy.SEARCH_MAX_ROWS} matches is a 400: page with GET /campaigns/ instead.`,
      security,
      querystring: LegacySearchQuery,
      response: { 200: LegacyCampaignList, ...problems() }
    }
  }, async (request) => legacy.searchByDate(app.readDb, request.user.companyId, request.query))

  app.get('/campaigns/:name', {
    config: { successor: '/v2/campaigns/:name' },
    onRequest: app.authenticate,
    schema: {
      summary: 'One campaign, flat, with its period rows and its site rows (one per site and catorcena)',
      security,
      params: CampaignNameParams,
      response: { 200: LegacyCampaignDetail, ...problems(404) }
    }
  }, async (request) => legacy.getDetail(app.readDb, request.user.companyId, request.params.name))

  app.post('/campaigns/', {
    config: { successor: '/v2/campaigns' },
    onRequest: app.requireRole('admin'),
    schema: {
      summary: 'Create a campaign (admin or owner); every old field is required, null for unknown',
      security,
      body: LegacyCampaignCreate,
      response: { 201: LegacyCampaign, ...problems(403, 409) }
    }
  }, async (request, reply) => reply.code(201).send(await legacy.create(app.db, request.user.companyId, request.body)))

  app.put('/campaigns/:name', {
    config: { successor: '/v2/campaigns/:name' },
    onRequest: app.requireRole('admin'),
    schema: {
      summary: 'Change some fields of a campaign (admin or owner); unknown fields are refused',
      security,
      params: CampaignNameParams,
      body: LegacyCampaignUpdate,
      response: { 200: LegacyCampaign, ...problems(403, 404, 409) }
    }
  }, async (request) => legacy.update(app.db, request.user.companyId, request.params.name, request.body))

  app.delete('/campaigns/:name', {
    config: { successor: '/v2/campaigns/:name' },
    onRequest: app.requireRole('owner'),
    schema: {
      summary: 'Delete a campaign with its periods and site rows (owner)',
      security,
      params: CampaignNameParams,
      response: { 204: NoContent, ...problems(403, 404) }
    }
  }, async (request, reply) => {
    await removeCampaign(app.db, request.user.companyId, request.params.name)
    return reply.code(204).send(null)
  })
}
