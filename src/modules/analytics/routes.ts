import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { CampaignSummary, ConditionalHeaders, NotModified, Overview, OverviewQuery, PeriodsSummary, SitesSummary } from '../../../schemas/analytics.js'
import { CampaignNameParams } from '../../../schemas/campaigns.js'
import { BEARER_SECURITY as security, COMMON_PROBLEMS, problemResponses } from '../../../schemas/common.js'
import { addEtags } from './etag.js'
import { createOverviewCache } from './overview-cache.js'
import * as service from './service.js'

/** The dashboard's three views of a campaign and the company overview; encapsulated, so the ETag hook stays here. */
export default async function analyticsRoutes (fastify: FastifyInstance, { overviewCacheBytes }: { overviewCacheBytes: number }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  addEtags(app)
  const problems = problemResponses(...COMMON_PROBLEMS, 401, 404)
  // Each company runs a few of these at once (a 429 past its queue): one tenant's burst must not take every connection.
  const heavy = app.fairShare.heavyRead
  const overview = createOverviewCache(app.readDb, overviewCacheBytes)

  app.get('/campaigns/:name/summary', {
    onRequest: app.authenticate,
    schema: {
      tags: ['analytics'],
      summary: 'Audience profile, totals, frequency, reach, the 24-hour vehicle profile and derived figures',
      security,
      params: CampaignNameParams,
      headers: ConditionalHeaders,
      response: { 200: { ...CampaignSummary, description: 'The campaign\'s audience summary' }, 304: NotModified, ...problems }
    }
  }, async (request) => heavy(request.user.companyId, (db) => service.campaignSummary(db, request.user.companyId, request.params.name)))

  app.get('/campaigns/:name/periods/summary', {
    onRequest: app.authenticate,
    schema: {
      tags: ['analytics'],
      summary: 'Impacts by period: the series with period-over-period change, totals, averages, min and max',
      security,
      params: CampaignNameParams,
      headers: ConditionalHeaders,
      response: { 200: { ...PeriodsSummary, description: 'Impacts per period' }, 304: NotModified, ...problems }
    }
  }, async (request) => heavy(request.user.companyId, (db) => service.periodsSummary(db, request.user.companyId, request.params.name)))

  app.get('/campaigns/:name/sites/summary', {
    onRequest: app.authenticate,
    schema: {
      tags: ['analytics'],
      summary: 'Sites broken down by furniture type, ad type, state, municipality and metro zone, and the top sites',
      security,
      params: CampaignNameParams,
      headers: ConditionalHeaders,
      response: { 200: { ...SitesSummary, description: 'Breakdowns of the campaign\'s sites' }, 304: NotModified, ...problems }
    }
  }, async (request) => heavy(request.user.companyId, (db) => service.sitesSummary(db, request.user.companyId, request.params.name)))

  app.get('/analytics/overview', {
    onRequest: app.authenticate,
    schema: {
      tags: ['analytics'],
      summary: 'Your company\'s campaigns in aggregate, filtered like the list: totals, by type, by month, by metro zone',
      security,
      querystring: OverviewQuery,
      headers: ConditionalHeaders,
      response: { 200: { ...Overview, description: 'Your company\'s campaigns aggregated' }, 304: NotModified, ...problemResponses(...COMMON_PROBLEMS, 401) }
    }
  }, async (request) => {
    const { companyId } = request.user
    return overview(companyId, request.query, () => heavy(companyId, (db) => service.overview(db, companyId, request.query)))
  })
}
