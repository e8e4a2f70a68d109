import type { FastifyInstance } from 'fastify'
import type { TestUser } from '../../helper.js'
import { uniqueName } from '../../helper.js'
import type { PathHints } from './fuzz-request.js'

/**
 * Rows in the fuzzing user's company, so list and detail operations also answer with data
 * (an empty company would only ever exercise the empty and 404 shapes). Returns path hints:
 * real values for path parameters by name. Extend it when a route takes a new kind of path value.
 */
export async function seedFuzzData (app: FastifyInstance, user: TestUser): Promise<PathHints> {
  const names = [uniqueName('fuzz campaign'), uniqueName('Campaña ñ/ü %20')]
  const rows = await app.db.insertInto('campaigns').values(names.map((name, i) => ({
    company_id: user.companyId,
    name,
    periods: ['2025-01', '2025-02'],
    tipo_campania: i === 0 ? 'mensual' as const : 'catorcenal' as const,
    fecha_inicio: '2025-01-01',
    fecha_fin: '2025-02-28',
    impactos_personas: 1000 * (i + 1),
    alcance: 500,
    nse_ab: 0.25,
    hourly_vehicle_count: Array.from({ length: 24 }, (_, h) => h * 10)
  }))).returning(['id', 'name']).execute()
  await app.db.insertInto('campaign_periods').values(rows.flatMap((row) => ['2025-01', '2025-02'].map((period) => ({
    company_id: user.companyId, campaign_id: row.id, period, impactos_periodo_personas: 100, impactos_periodo_vehiculos: 10
  })))).execute()
  const ids = rows.map((r) => r.id)
  return { name: names, campaign_name: names, campaignName: names, id: ids, campaign_id: ids, campaignId: ids }
}
