import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { Problem } from '../../schemas/common.js'

/** OpenAPI 3.1 built from the route schemas: JSON at /docs/json, the interactive UI at /docs. */
async function docsPlugin (app: FastifyInstance) {
  app.addSchema(Problem)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Campaign Analytics API',
        version: '1.0.0',
        description: 'Out-of-home advertising campaigns, their periods and sites, and their audience analytics. Errors are RFC 9457 problem documents.'
      },
      components: {
        securitySchemes: {
          OAuth2PasswordBearer: { type: 'oauth2', flows: { password: { tokenUrl: '/v2/auth/token', scopes: {} } } },
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }
        }
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'auth', description: 'Accounts, login, refresh and logout' },
        { name: 'campaigns', description: 'Campaigns, their periods and sites' },
        { name: 'analytics', description: 'Summaries for the dashboard' },
        { name: 'imports', description: 'CSV uploads' }
      ]
    },
    // Shared schemas keep their $id as the component name instead of def-0, def-1...
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) }
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true } })
}

export default fp(docsPlugin, { name: 'docs', fastify: '5.x' })
