import { Type, type Static } from '@sinclair/typebox'
import { DateString, nullable } from './common.js'
import { TipoCampania, campaignFilters } from './campaigns.js'

const Num = (description: string, example: number) => nullable(Type.Number({ description, examples: [example] }))
const Int = (description: string, example: number) => Type.Integer({ minimum: 0, description, examples: [example] })

// Sums are exact (numeric in SQL) and never silently rounded: a JSON number when a double carries
// the sum digit for digit (integers up to 2^53 - 1), else the sum's decimal digits as a string
// (src/db/exact-decimal.ts decides).
const EXACT = 'exact: a number when a double carries it digit for digit, else its decimal digits as a string'
const ExactSum = (description: string, example: number) => Type.Union([
  Type.Number({ minimum: 0 }),
  Type.String({ pattern: '^(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?$' })
], { description: `${description}; ${EXACT}`, examples: [example] })
const ExactCount = (description: string, example: number) => Type.Union([
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  Type.String({ pattern: '^(0|[1-9][0-9]*)$' })
], { description: `${description}; ${EXACT}`, examples: [example] })
const Average = (description: string, example: number) => Num(`${description}: the exact average rounded to the nearest double`, example)

export const ConditionalHeaders = Type.Object({
  'if-none-match': Type.Optional(Type.String({ description: 'An ETag from an earlier answer: 304 when unchanged' }))
})

export const NotModified = Type.Null({ description: 'Not modified: the ETag in If-None-Match is still current' })

const CampaignHeading = {
  name: Type.String({ examples: ['Verano Refrescos 2025'] }),
  tipo_campania: TipoCampania,
  fecha_inicio: DateString,
  fecha_fin: DateString
}

export const CampaignSummary = Type.Object({
  ...CampaignHeading,
  audience: Type.Object({
    nse: Type.Object({ ab: Num('Share AB', 0.12), c_mas: Num('Share C+', 0.18), c: Num('Share C', 0.2), d_mas: Num('Share D+', 0.25), d: Num('Share D', 0.18), e: Num('Share E', 0.07) }),
    edad: Type.Object({
      '0a14': Num('Share 0-14', 0.2),
      '15a19': Num('Share 15-19', 0.09),
      '20a24': Num('Share 20-24', 0.09),
      '25a34': Num('Share 25-34', 0.17),
      '35a44': Num('Share 35-44', 0.15),
      '45a64': Num('Share 45-64', 0.21),
      '65mas': Num('Share 65+', 0.09)
    }),
    genero: Type.Object({ hombres: Num('Share of men', 0.48), mujeres: Num('Share of women', 0.52) })
  }, { description: 'Audience profile: shares between 0 and 1' }),
  totals: Type.Object({
    impactos_personas: nullable(Int('Person impacts', 4500000)),
    impactos_vehiculos: nullable(Int('Vehicle impacts', 1800000)),
    alcance: nullable(Int('Reach', 1320000)),
    universo_zona_metro: nullable(Int('Metro-zone population', 21800000)),
    sites_count: Int('Distinct sites with facts', 12),
    periods_count: Int('Periods recorded', 3),
    impactos_sitios: ExactCount('Sum of the site facts\' catorcena impacts', 4480000)
  }),
  frecuencia: Type.Object({ calculada: Num('Computed frequency', 3.4), promedio: Num('Average frequency', 3.1) }),
  hourly_vehicle_profile: Type.Object({
    hours: nullable(Type.Array(nullable(Type.Integer({ minimum: 0 })), { minItems: 24, maxItems: 24, description: 'Vehicles per hour, hour 0 first; null for an hour the export left empty' })),
    peak_hour: nullable(Type.Integer({ minimum: 0, maximum: 23, description: 'The busiest hour among the known ones', examples: [18] })),
    total: nullable(Int('Vehicles over the day; null when an hour is unknown', 52000))
  }),
  derived: Type.Object({
    impactos_por_sitio: Num('Person impacts per site', 375000),
    impactos_por_periodo: Num('Person impacts per period', 1500000),
    alcance_share_universo: Num('Share of the metro universe reached (alcance / universo_zona_metro)', 0.06),
    frecuencia_efectiva: Num('impactos_personas / alcance', 3.4)
  })
}, { title: 'CampaignSummary' })
export type CampaignSummaryType = Static<typeof CampaignSummary>

const PeriodExtreme = nullable(Type.Object({ period: Type.String({ examples: ['2025-07'] }), value: Type.Number({ minimum: 0 }) }))
const SeriesStats = Type.Object({
  total: ExactSum('Sum over the periods', 4500000),
  average: Average('Average per period', 1500000),
  min: PeriodExtreme,
  max: PeriodExtreme
})

export const PeriodsSummary = Type.Object({
  ...CampaignHeading,
  periods_count: Int('Periods', 3),
  series: Type.Array(Type.Object({
    period: Type.String({ examples: ['2025-07'] }),
    // Period impacts may carry fractions (numeric in the database, as exported).
    impactos_periodo_personas: nullable(Type.Number({ minimum: 0 })),
    impactos_periodo_vehiculos: nullable(Type.Number({ minimum: 0 })),
    change_personas: nullable(Type.Number({ description: 'Change from the previous period' })),
    change_personas_pct: Num('Relative change from the previous period (0.1 = +10 %)', 0.1),
    change_vehiculos: nullable(Type.Number({ description: 'Change from the previous period' })),
    change_vehiculos_pct: Num('Relative change from the previous period', -0.05)
  })),
  personas: SeriesStats,
  vehiculos: SeriesStats
}, { title: 'PeriodsSummary' })
export type PeriodsSummaryType = Static<typeof PeriodsSummary>

const Breakdown = Type.Array(Type.Object({
  value: nullable(Type.String({ description: 'The dimension value; null when the site has none', examples: ['Espectacular'] })),
  sites: Int('Distinct sites', 4),
  impactos: ExactCount('Sum of catorcena impacts', 1200000),
  alcance: ExactSum('Sum of catorcena vehicle reach', 85000)
}))

export const SitesSummary = Type.Object({
  ...CampaignHeading,
  sites_count: Int('Distinct sites', 12),
  breakdowns: Type.Object({
    tipo_de_mueble: Breakdown, tipo_de_anuncio: Breakdown, estado: Breakdown, municipio: Breakdown, zm: Breakdown
  }, { description: 'Largest impacts first' }),
  top_sites: Type.Array(Type.Object({
    codigo_del_sitio: Type.String({ examples: ['GDL-0042'] }),
    tipo_de_mueble: nullable(Type.String()),
    estado: nullable(Type.String()),
    zm: nullable(Type.String()),
    impactos: ExactCount('Sum of catorcena impacts', 420000),
    alcance: ExactSum('Sum of catorcena vehicle reach', 31000)
  }), { description: 'The 10 sites with the most impacts' })
}, { title: 'SitesSummary' })
export type SitesSummaryType = Static<typeof SitesSummary>

export const OverviewQuery = Type.Object(campaignFilters, { additionalProperties: false })

const Totals = {
  campaigns: Int('Campaigns', 42),
  impactos_personas: ExactCount('Sum of person impacts', 180000000),
  impactos_vehiculos: ExactCount('Sum of vehicle impacts', 70000000),
  alcance: ExactCount('Sum of reach', 50000000)
}
export const Overview = Type.Object({
  totals: Type.Object(Totals),
  by_tipo: Type.Array(Type.Object({ tipo_campania: TipoCampania, ...Totals })),
  by_month: Type.Array(Type.Object({ month: Type.String({ description: 'Month the flight starts, YYYY-MM', examples: ['2025-03'] }), ...Totals })),
  by_zm: Type.Array(Type.Object({
    zm: nullable(Type.String({ examples: ['Monterrey'] })),
    campaigns: Int('Campaigns with a site there', 9),
    sites: Int('Distinct sites', 30),
    impactos: ExactCount('Sum of catorcena impacts', 9000000)
  }))
}, { title: 'Overview' })
export type OverviewType = Static<typeof Overview>
