import { Type, type Static } from '@sinclair/typebox'
import { DateString, DateTime, nullable } from './common.js'

const Share = (description: string) => nullable(Type.Number({ minimum: 0, maximum: 1, description, examples: [0.18] }))
// bigint columns, held to the integers a JSON number carries exactly (the importer's limit too);
// SmallCount for the integer columns.
const Count = (description: string, example = 125000) => nullable(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description, examples: [example] }))
const INT4_MAX = 2147483647
const SmallCount = (description: string, example: number) => nullable(Type.Integer({ minimum: 0, maximum: INT4_MAX, description, examples: [example] }))

export const TipoCampania = Type.Union([Type.Literal('mensual'), Type.Literal('catorcenal')], {
  description: 'Campaign type: monthly or by catorcena (14-day period)', examples: ['catorcenal']
})
// Control characters, a byte-order mark and lone surrogates cannot round-trip as text (PGlite's
// decoder drops a leading U+FEFF; UTF-8 turns a lone surrogate into U+FFFD): refuse them up front.
const UNSTORABLE = '\\u0000-\\u001f\\u007f\\ufeff\\ud800-\\udfff'
export const CampaignNameString = Type.String({
  minLength: 1,
  maxLength: 200,
  // "." and ".." cannot be addressed: clients normalise /campaigns/.. to / before sending it.
  pattern: `^(?!\\.\\.?$)[^${UNSTORABLE}]*[^\\s${UNSTORABLE}][^${UNSTORABLE}]*$`,
  description: 'The campaign name, unique within your company: printable text with at least one visible character, not "." or ".."',
  // A campaign the development seed creates (db/sample-data), so /docs' path examples find one.
  examples: ['campania_01']
})
const PeriodCode = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'YYYY-MM (month) or YYYY-NN (catorcena)', examples: ['2025-07'] })

/** The writable columns of a campaign, in the export's vocabulary. */
export const campaignFields = {
  sites: SmallCount('Number of sites declared by the export', 12),
  periods: Type.Array(PeriodCode, { maxItems: 400, description: 'Period codes declared by the export' }),
  tipo_campania: TipoCampania,
  fecha_inicio: { ...DateString, description: 'First day of the flight' },
  fecha_fin: { ...DateString, description: 'Last day of the flight', examples: ['2025-04-30'] },
  universo_zona_metro: Count('Population of the metro zones covered', 21800000),
  impactos_personas: Count('Person impacts over the campaign', 4500000),
  impactos_vehiculos: Count('Vehicle impacts over the campaign', 1800000),
  frecuencia_calculada: nullable(Type.Number({ minimum: 0, description: 'Computed frequency', examples: [3.4] })),
  frecuencia_promedio: nullable(Type.Number({ minimum: 0, description: 'Average frequency', examples: [3.1] })),
  alcance: Count('Reach: distinct persons reached', 1320000),
  nse_ab: Share('Share of socio-economic level AB'),
  nse_cmas: Share('Share of socio-economic level C+'),
  nse_c: Share('Share of socio-economic level C'),
  nse_dmas: Share('Share of socio-economic level D+'),
  nse_d: Share('Share of socio-economic level D'),
  nse_e: Share('Share of socio-economic level E'),
  edad_0a14: Share('Share aged 0-14'),
  edad_15a19: Share('Share aged 15-19'),
  edad_20a24: Share('Share aged 20-24'),
  edad_25a34: Share('Share aged 25-34'),
  edad_35a44: Share('Share aged 35-44'),
  edad_45a64: Share('Share aged 45-64'),
  edad_65mas: Share('Share aged 65 and over'),
  hombres: Share('Share of men'),
  mujeres: Share('Share of women'),
  hourly_vehicle_count: nullable(Type.Array(nullable(Type.Integer({ minimum: 0, maximum: INT4_MAX })), { minItems: 24, maxItems: 24, description: 'Vehicles per hour of the day, hour 0 first; null for an unknown hour' }))
}
export const CAMPAIGN_FIELDS = ['name', ...Object.keys(campaignFields)] as const

export const Campaign = Type.Object({
  name: CampaignNameString,
  ...campaignFields,
  created_at: DateTime,
  updated_at: DateTime
}, { title: 'Campaign', description: 'A campaign as stored' })

export const CampaignListItem = Type.Object({
  ...Campaign.properties,
  sites_count: Type.Integer({ minimum: 0, description: 'Distinct sites with facts for this campaign', examples: [12] }),
  periods_count: Type.Integer({ minimum: 0, description: 'Periods recorded for this campaign', examples: [3] })
}, { title: 'CampaignListItem' })
export type CampaignListItemType = Static<typeof CampaignListItem>

export const SORTS = ['name', '-name', 'fecha_inicio', '-fecha_inicio', 'impactos_personas', '-impactos_personas', 'alcance', '-alcance'] as const
export type Sort = typeof SORTS[number]

/** PostgreSQL text cannot hold U+0000, so a filter with one could never match: refused by name. */
const NO_NUL = '^[^\\u0000]*$'

/** A date filter: DateString without its example. */
const DateFilter = (description: string) => Type.String({ format: 'date', pattern: DateString.pattern, description })

/**
 * The filters shared by the list and the overview. Optional filters carry their examples in the
 * description, never as `examples`/`default`: Swagger UI pre-fills a parameter from its example,
 * and "Try it out" then filtered the seeded data down to nothing.
 */
export const campaignFilters = {
  tipo_campania: Type.Optional(Type.Union([Type.Literal('mensual'), Type.Literal('catorcenal')], { description: 'Campaign type: mensual (monthly) or catorcenal (by 14-day catorcena)' })),
  start_date: Type.Optional(DateFilter('Campaigns whose flight ends on or after this day, YYYY-MM-DD (e.g. 2025-03-01)')),
  end_date: Type.Optional(DateFilter('Campaigns whose flight starts on or before this day, YYYY-MM-DD (e.g. 2025-06-30)')),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: NO_NUL, description: 'Case-insensitive substring of the name (e.g. campania_0)' })),
  zm: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL, description: 'Campaigns with at least one site in this metro zone, exact value (e.g. Guadalajara)' })),
  estado: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: NO_NUL, description: 'Campaigns with at least one site in this state, exact value (e.g. Jalisco)' }))
}

export const CampaignListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'Page size' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'next_cursor of the previous page; valid only with the same filters and sort' })),
  sort: Type.Optional(Type.Union(SORTS.map((s) => Type.Literal(s)), { default: 'name', description: 'Sort key; a leading "-" sorts descending. Ties are broken by creation order; missing values sort as the largest (e.g. -impactos_personas).' })),
  include_total: Type.Optional(Type.Boolean({ default: false, description: 'Also count every matching campaign (costs a full count)' })),
  ...campaignFilters
}, { additionalProperties: false })
export type CampaignListQueryType = Static<typeof CampaignListQuery>
export type CampaignFilters = Pick<CampaignListQueryType, keyof typeof campaignFilters>

export const CampaignPage = Type.Object({
  data: Type.Array(CampaignListItem),
  page_size: Type.Integer({ minimum: 1, description: 'The limit applied', examples: [5] }),
  next_cursor: nullable(Type.String({ description: 'Pass as cursor for the next page; null on the last page' })),
  total: Type.Optional(Type.Integer({ minimum: 0, description: 'Every matching campaign; only with include_total=true' }))
}, { title: 'CampaignPage' })

export const CampaignNameParams = Type.Object({ name: CampaignNameString }, { additionalProperties: false })

const SitePeriod = Type.Object({
  id_fourteen: PeriodCode,
  mes: nullable(PeriodCode),
  impactos_catorcenal: Count('Impacts in the catorcena'),
  impactos_mensuales: Count('Impacts in the month'),
  frecuencia_catorcenal: nullable(Type.Number({ minimum: 0 })),
  alcance_vehiculos_catorcenal: nullable(Type.Number({ minimum: 0 })),
  alcance_mensual: nullable(Type.Number({ minimum: 0 })),
  fecha_uso_inicio: nullable(DateString),
  fecha_uso_fin: nullable(DateString)
})

export const CampaignDetailSite = Type.Object({
  codigo_del_sitio: Type.String({ examples: ['GDL-0042'] }),
  tipo_de_mueble: nullable(Type.String({ examples: ['Espectacular'] })),
  tipo_de_anuncio: nullable(Type.String({ examples: ['Digital'] })),
  disponible: nullable(Type.Boolean()),
  estado: nullable(Type.String({ examples: ['Jalisco'] })),
  municipio: nullable(Type.String({ examples: ['Zapopan'] })),
  zm: nullable(Type.String({ examples: ['Guadalajara'] })),
  totals: Type.Object({
    periods: Type.Integer({ minimum: 0, description: 'Catorcenas with facts' }),
    impactos_catorcenal: Type.Integer({ minimum: 0, description: 'Sum over the campaign' }),
    impactos_mensuales: Type.Integer({ minimum: 0, description: 'Sum over the campaign' }),
    alcance_vehiculos_catorcenal: Type.Number({ minimum: 0, description: 'Sum over the campaign' }),
    frecuencia_catorcenal_promedio: nullable(Type.Number({ minimum: 0, description: 'Average over the periods' }))
  }),
  periods: Type.Array(SitePeriod)
})

export const CampaignDetail = Type.Object({
  campaign: CampaignListItem,
  periods: Type.Array(Type.Object({
    period: PeriodCode,
    // numeric in the database: the export carries fractions, kept as printed.
    impactos_periodo_personas: nullable(Type.Number({ minimum: 0, description: 'Person impacts in the period', examples: [1500000.25] })),
    impactos_periodo_vehiculos: nullable(Type.Number({ minimum: 0, description: 'Vehicle impacts in the period', examples: [600000] }))
  })),
  sites: Type.Array(CampaignDetailSite)
}, { title: 'CampaignDetail' })

export const CampaignCreate = Type.Object({
  name: CampaignNameString,
  ...Type.Partial(Type.Object(campaignFields)).properties,
  tipo_campania: TipoCampania,
  fecha_inicio: campaignFields.fecha_inicio,
  fecha_fin: campaignFields.fecha_fin
}, { additionalProperties: false, examples: [{ name: 'Verano Refrescos 2025', tipo_campania: 'catorcenal', fecha_inicio: '2025-03-01', fecha_fin: '2025-04-30', impactos_personas: 4500000 }] })
export type CampaignCreateType = Static<typeof CampaignCreate>

export const CampaignPatch = Type.Partial(Type.Object({ name: CampaignNameString, ...campaignFields }), {
  additionalProperties: false, minProperties: 1, examples: [{ impactos_personas: 4600000, alcance: 1400000 }]
})
export type CampaignPatchType = Static<typeof CampaignPatch>
