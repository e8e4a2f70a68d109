/** The headers of the three exports, in the order the planning tool writes them. */
const HOURS = Array.from({ length: 24 }, (_, h) => `hourly_vehicle_count_${String(h).padStart(2, '0')}`)

export const CAMPAIGN_COLUMNS = [
  'name', 'sites', 'periods', 'tipo_campania', 'fecha_inicio', 'fecha_fin', 'universo_zona_metro',
  'impactos_personas', 'impactos_vehiculos', 'frecuencia_calculada', 'frecuencia_promedio', 'alcance',
  'nse_ab', 'nse_c', 'nse_cmas', 'nse_d', 'nse_dmas', 'nse_e',
  'edad_0a14', 'edad_15a19', 'edad_20a24', 'edad_25a34', 'edad_35a44', 'edad_45a64', 'edad_65mas',
  'hombres', 'mujeres', ...HOURS
] as const

export const PERIOD_COLUMNS = [
  'name', 'tipo_campania', 'period', 'impactos_periodo_personas', 'impactos_periodo_vehículos'
] as const

export const SITE_COLUMNS = [
  'codigo_del_sitio', 'tipo_de_mueble', 'tipo_de_anuncio', 'disponible', 'estado', 'municipio', 'zm',
  'nivel_socioeconomico_ab', 'nivel_socioeconomico_c_mas', 'nivel_socioeconomico_c', 'nivel_socioeconomico_d',
  'nivel_socioeconomico_e', 'nivel_socioeconomico_d_mas',
  'cero_catorce', 'quince_diecinueve', 'veinte_veinticuatro', 'veinticinco_treintaycuatro',
  'treintaycinco_cuarentaycuatro', 'cuarentaycinco_sesentaycuatro', 'sesentaycinco_mas',
  'per_muj', 'per_hom', 'frecuencia_catorcenal', 'frecuencia_mensual', 'exposicion_promedio_catorcenal',
  'impactos_catorcenal', 'alcance_vehiculos_catorcenal', 'id_fourteen', 'mes', 'impactos_mensuales',
  'alcance_mensual', 'impactos_mensuales_prom_min_max', 'alcance_mensuales_prom_min_max', 'name',
  'fecha_uso_inicio', 'fecha_uso_fin'
] as const

export const FILE_NAMES = {
  campaigns: 'bd_campanias_agrupado.csv',
  periods: 'bd_campanias_periodos.csv',
  sites: 'bd_campanias_sitios.csv'
} as const

export type FileKey = keyof typeof FILE_NAMES
export type CampaignColumn = typeof CAMPAIGN_COLUMNS[number]
export type PeriodColumn = typeof PERIOD_COLUMNS[number]
export type SiteColumn = typeof SITE_COLUMNS[number]
