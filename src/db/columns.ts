import type { Database } from './schema.js'

/**
 * Every column of every table with its PostgreSQL type. `satisfies` makes the compiler hold
 * these keys equal to the Database interface; test/db/schema-drift.test.ts holds them equal
 * to the migrated catalog. Together: the interface cannot drift from the migrations.
 */
const SHARE = 'double precision'

export const DATABASE_COLUMNS = {
  companies: { id: 'bigint', name: 'text', created_at: 'timestamp with time zone' },
  users: {
    id: 'bigint',
    company_id: 'bigint',
    email: 'text',
    password_hash: 'text',
    role: 'text',
    is_active: 'boolean',
    password_changed_at: 'timestamp with time zone',
    tokens_valid_after: 'timestamp with time zone',
    created_at: 'timestamp with time zone',
    updated_at: 'timestamp with time zone'
  },
  refresh_tokens: {
    id: 'bigint',
    user_id: 'bigint',
    token_hash: 'text',
    family_id: 'uuid',
    parent_id: 'bigint',
    created_at: 'timestamp with time zone',
    expires_at: 'timestamp with time zone',
    family_expires_at: 'timestamp with time zone',
    used_at: 'timestamp with time zone',
    revoked_at: 'timestamp with time zone'
  },
  campaigns: {
    company_id: 'bigint',
    id: 'bigint',
    name: 'text',
    sites: 'integer',
    periods: 'ARRAY',
    tipo_campania: 'text',
    fecha_inicio: 'date',
    fecha_fin: 'date',
    universo_zona_metro: 'bigint',
    impactos_personas: 'bigint',
    impactos_vehiculos: 'bigint',
    frecuencia_calculada: 'double precision',
    frecuencia_promedio: 'double precision',
    alcance: 'bigint',
    nse_ab: SHARE,
    nse_cmas: SHARE,
    nse_c: SHARE,
    nse_dmas: SHARE,
    nse_d: SHARE,
    nse_e: SHARE,
    edad_0a14: SHARE,
    edad_15a19: SHARE,
    edad_20a24: SHARE,
    edad_25a34: SHARE,
    edad_35a44: SHARE,
    edad_45a64: SHARE,
    edad_65mas: SHARE,
    hombres: SHARE,
    mujeres: SHARE,
    hourly_vehicle_count: 'ARRAY',
    created_at: 'timestamp with time zone',
    updated_at: 'timestamp with time zone',
    sites_count: 'integer',
    periods_count: 'integer',
    zms: 'ARRAY',
    estados: 'ARRAY'
  },
  campaign_flight_totals: {
    company_id: 'bigint',
    tipo_campania: 'text',
    fecha_inicio: 'date',
    fecha_fin: 'date',
    campaigns: 'bigint',
    impactos_personas: 'numeric',
    impactos_vehiculos: 'numeric',
    alcance: 'numeric'
  },
  campaign_type_counts: { company_id: 'bigint', tipo_campania: 'text', campaigns: 'bigint' },
  campaign_periods: {
    company_id: 'bigint', campaign_id: 'bigint', period: 'text', impactos_periodo_personas: 'numeric', impactos_periodo_vehiculos: 'numeric'
  },
  sites: {
    company_id: 'bigint',
    id: 'bigint',
    codigo_del_sitio: 'text',
    tipo_de_mueble: 'text',
    tipo_de_anuncio: 'text',
    disponible: 'boolean',
    estado: 'text',
    municipio: 'text',
    zm: 'text',
    nivel_socioeconomico_ab: SHARE,
    nivel_socioeconomico_c_mas: SHARE,
    nivel_socioeconomico_c: SHARE,
    nivel_socioeconomico_d: SHARE,
    nivel_socioeconomico_e: SHARE,
    nivel_socioeconomico_d_mas: SHARE,
    cero_catorce: SHARE,
    quince_diecinueve: SHARE,
    veinte_veinticuatro: SHARE,
    veinticinco_treintaycuatro: SHARE,
    treintaycinco_cuarentaycuatro: SHARE,
    cuarentaycinco_sesentaycuatro: SHARE,
    sesentaycinco_mas: SHARE,
    per_muj: SHARE,
    per_hom: SHARE
  },
  campaign_site_periods: {
    company_id: 'bigint',
    campaign_id: 'bigint',
    site_id: 'bigint',
    id_fourteen: 'text',
    mes: 'text',
    frecuencia_catorcenal: 'double precision',
    frecuencia_mensual: 'double precision',
    exposicion_promedio_catorcenal: 'double precision',
    impactos_catorcenal: 'bigint',
    alcance_vehiculos_catorcenal: 'double precision',
    impactos_mensuales: 'bigint',
    alcance_mensual: 'double precision',
    impactos_mensuales_prom_min_max: 'bigint',
    alcance_mensuales_prom_min_max: 'double precision',
    fecha_uso_inicio: 'date',
    fecha_uso_fin: 'date'
  }
} satisfies { [T in keyof Database]: Record<keyof Database[T], string> }
