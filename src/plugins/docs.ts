import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { Problem } from '../../schemas/common.js'
import { LEGACY_TAG } from '../modules/legacy/deprecation.js'
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD } from '../modules/auth/default-owner.js'

/** The page's own instructions: one way in (a bearer token), and where the data comes from. */
const DESCRIPTION = `Out-of-home advertising campaigns, their periods and sites, and their audience analytics, for the campaigns dashboard and scripts. Errors are RFC 9457 problem documents.

**Try it out.** The protected routes take a bearer access token:
1. Open **POST /v2/auth/token**, press *Try it out*, then *Execute*: the example body is the development login (\`${DEV_ADMIN_EMAIL}\` / \`${DEV_ADMIN_PASSWORD}\`, which \`npm start\` seeds; production refuses it).
2. Copy \`access_token\` from the answer, press **Authorize**, paste it and press *Authorize*.
3. Every *Try it out* now sends it. On a fresh \`npm start\` the example campaign name (\`campania_01\`) is one of the seeded sample campaigns, and the list's filters are empty, so the defaults answer with data.

Today's API is under \`/v2\`. The root paths (\`/auth/*\`, \`/campaigns\` …) serve the old service's contract (v1, deprecated) for the old dashboard and scripts.`

/** OpenAPI 3.1 built from the route schemas: JSON at /docs/json, the interactive UI at /docs. */
async function docsPlugin (app: FastifyInstance) {
  app.addSchema(Problem)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      // Relative: the API is on the origin that serves this document (any deployment, any port).
      servers: [{ url: '/', description: 'The server this document is served from' }],
      info: {
        title: 'Campaign Analytics API',
        version: '1.0.0',
        description: DESCRIPTION
      },
      components: {
        // One scheme, so Authorize shows one field (an OAuth2 password flow added client id, secret and scope fields).
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access_token of POST /v2/auth/token (see the steps above)' }
        }
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'auth', description: 'Accounts, login, refresh and logout' },
        { name: 'campaigns', description: 'Campaigns, their periods and sites' },
        { name: 'analytics', description: 'Summaries for the dashboard' },
        { name: 'imports', description: 'CSV uploads' },
        { name: LEGACY_TAG, description: 'The old service\'s contract at the root paths, for its dashboard and scripts: deprecated, each answer links its /v2 successor (docs/api-versions.md)' }
      ]
    },
    // Shared schemas keep their $id as the component name instead of def-0, def-1...
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) }
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true }, theme: { title: 'Campaign Analytics API: interactive documentation' } })
}

export default fp(docsPlugin, { name: 'docs', fastify: '5.x' })
