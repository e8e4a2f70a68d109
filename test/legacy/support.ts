import type { FastifyInstance } from 'fastify'

/** The old dashboard's request: the access token as a bearer, calls at the root of the base URL. */
export function v1 (app: FastifyInstance, authorization: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) {
  return app.inject({ method, url, headers: { authorization }, ...(payload ? { payload } : {}) })
}

/** Every old Campaign field (legacy-contract.md) with a value, as an old script posts it. */
export function oldCampaign (name: string, overrides: Record<string, unknown> = {}) {
  return {
    name,
    tipo_campania: 'mensual',
    fecha_inicio: '2025-02-01',
    fecha_fin: '2025-03-31',
    universo_zona_metro: 21800000,
    impactos_personas: 4500000,
    impactos_vehiculos: 1800000,
    alcance: 1320000,
    frecuencia_calculada: 3.4,
    frecuencia_promedio: 3.1,
    nse_ab: 0.1,
    nse_c: 0.2,
    nse_cmas: 0.15,
    nse_d: 0.2,
    nse_dmas: 0.25,
    nse_e: 0.1,
    edad_0a14: 0.1,
    edad_15a19: 0.1,
    edad_20a24: 0.1,
    edad_25a34: 0.2,
    edad_35a44: 0.2,
    edad_45a64: 0.2,
    edad_65mas: 0.1,
    hombres: 0.48,
    mujeres: 0.52,
    ...overrides
  }
}

export const OLD_CAMPAIGN_FIELDS = Object.keys(oldCampaign('x')).concat('company_id').sort()
