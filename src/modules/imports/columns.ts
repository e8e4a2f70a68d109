// The three export formats (see the README, "Seed and import"): each column's type, and whether
// the file is refused when its header lacks it. An optional column that is absent is stored as
// unknown (NULL), with a warning; it is never filled in.

export type ColumnKind = 'text' | 'count' | 'smallCount' | 'number' | 'share' | 'date' | 'type' | 'availability' | 'periods' | 'period' | 'month' | 'catorcena'
export type ColumnSpec = { name: string, kind: ColumnKind, required?: boolean }
export type FileKind = 'campaigns' | 'periods' | 'sites'

export const FILE_NAMES: Record<FileKind, string> = {
  campaigns: 'bd_campanias_agrupado.csv',
  periods: 'bd_campanias_periodos.csv',
  sites: 'bd_campanias_sitios.csv'
}

const shares = (names: string[]): ColumnSpec[] => names.map((name) => ({ name, kind: 'share' }))

export const CAMPAIGN_SHARES = [
  'nse_ab', 'nse_c', 'nse_cmas', 'nse_d', 'nse_dmas', 'nse_e',
  'edad_0a14', 'edad_15a19', 'edad_20a24', 'edad_25a34', 'edad_35a44', 'edad_45a64', 'edad_65mas',
  'hombres', 'mujeres'
]
export const HOURS = Array.from({ length: 24 }, (_, hour) => `hourly_vehicle_count_${String(hour).padStart(2, '0')}`)

export const CAMPAIGN_COLUMNS: ColumnSpec[] = [
  { name: 'name', kind: 'text', required: true },
  { name: 'sites', kind: 'smallCount' },
  { name: 'periods', kind: 'periods' },
  { name: 'tipo_campania', kind: 'type', required: true },
  { name: 'fecha_inicio', kind: 'date', required: true },
  { name: 'fecha_fin', kind: 'date', required: true },
  { name: 'universo_zona_metro', kind: 'count' },
  { name: 'impactos_personas', kind: 'count', required: true },
  { name: 'impactos_vehiculos', kind: 'count', required: true },
  { name: 'frecuencia_calculada', kind: 'number' },
  { name: 'frecuencia_promedio', kind: 'number' },
  { name: 'alcance', kind: 'count' },
  ...shares(CAMPAIGN_SHARES),
  ...HOURS.map((name): ColumnSpec => ({ name, kind: 'smallCount' }))
]

export const PERIOD_COLUMNS: ColumnSpec[] = [
  { name: 'name', kind: 'text', required: true },
  { name: 'tipo_campania', kind: 'type', required: true },
  { name: 'period', kind: 'period', required: true },
  // Read as text: which column holds which figure, and where a lost decimal point goes, is
  // decided per campaign by the cross-check against the totals (cross-check.ts).
  { name: 'impactos_periodo_personas', kind: 'text', required: true },
  { name: 'impactos_periodo_vehiculos', kind: 'text', required: true }
]

export const SITE_ATTRIBUTES: ColumnSpec[] = [
  { name: 'tipo_de_mueble', kind: 'text' },
  { name: 'tipo_de_anuncio', kind: 'text' },
  { name: 'disponible', kind: 'availability' },
  { name: 'estado', kind: 'text' },
  { name: 'municipio', kind: 'text' },
  { name: 'zm', kind: 'text' },
  ...shares([
    'nivel_socioeconomico_ab', 'nivel_socioeconomico_c_mas', 'nivel_socioeconomico_c', 'nivel_socioeconomico_d',
    'nivel_socioeconomico_e', 'nivel_socioeconomico_d_mas',
    'cero_catorce', 'quince_diecinueve', 'veinte_veinticuatro', 'veinticinco_treintaycuatro',
    'treintaycinco_cuarentaycuatro', 'cuarentaycinco_sesentaycuatro', 'sesentaycinco_mas', 'per_muj', 'per_hom'
  ])
]

export const SITE_FACTS: ColumnSpec[] = [
  { name: 'id_fourteen', kind: 'catorcena', required: true },
  { name: 'mes', kind: 'month' },
  { name: 'frecuencia_catorcenal', kind: 'number' },
  { name: 'frecuencia_mensual', kind: 'number' },
  { name: 'exposicion_promedio_catorcenal', kind: 'number' },
  { name: 'impactos_catorcenal', kind: 'count' },
  { name: 'alcance_vehiculos_catorcenal', kind: 'number' },
  { name: 'impactos_mensuales', kind: 'count' },
  { name: 'alcance_mensual', kind: 'number' },
  { name: 'impactos_mensuales_prom_min_max', kind: 'count' },
  { name: 'alcance_mensuales_prom_min_max', kind: 'number' },
  { name: 'fecha_uso_inicio', kind: 'date' },
  { name: 'fecha_uso_fin', kind: 'date' }
]

export const SITE_COLUMNS: ColumnSpec[] = [
  { name: 'codigo_del_sitio', kind: 'text', required: true },
  ...SITE_ATTRIBUTES,
  ...SITE_FACTS,
  { name: 'name', kind: 'text', required: true }
]

export const COLUMNS: Record<FileKind, ColumnSpec[]> = { campaigns: CAMPAIGN_COLUMNS, periods: PERIOD_COLUMNS, sites: SITE_COLUMNS }

/** Header names compare without BOM, case, surrounding blanks or accents: `impactos_periodo_vehículos` = `impactos_periodo_vehiculos`. */
export function normaliseHeader (header: string): string {
  return header.replace(/^\uFEFF/, '').trim().normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}
