import { Type, type Static } from '@sinclair/typebox'
import { nullable } from './common.js'
import { CampaignNameString, campaignFields } from './campaigns.js'
import { Role } from './auth.js'

/**
 * The old service's contract (v1), frozen: the shapes its dashboard and scripts read and send
 * (shared/legacy-contract.md). Field schemas come from today's campaign schemas; only the shapes
 * differ. An unknown value is null here too, never an invented number.
 */

/** The old Campaign's own fields, in its order: everything the old clients send and read but the name. */
const LEGACY_FIELD_NAMES = [
  'tipo_campania', 'fecha_inicio', 'fecha_fin', 'universo_zona_metro', 'impactos_personas', 'impactos_vehiculos', 'alcance',
  'frecuencia_calculada', 'frecuencia_promedio', 'nse_ab', 'nse_c', 'nse_cmas', 'nse_d', 'nse_dmas', 'nse_e',
  'edad_0a14', 'edad_15a19', 'edad_20a24', 'edad_25a34', 'edad_35a44', 'edad_45a64', 'edad_65mas', 'hombres', 'mujeres'
] as const satisfies ReadonlyArray<keyof typeof campaignFields>

const legacyFields = Object.fromEntries(LEGACY_FIELD_NAMES.map((name) => [name, campaignFields[name]])) as Pick<typeof campaignFields, typeof LEGACY_FIELD_NAMES[number]>

export const LegacyCampaign = Type.Object({
  name: CampaignNameString,
  company_id: Type.Integer({ description: 'Your company' }),
  ...legacyFields
}, { title: 'LegacyCampaign', description: 'The old service\'s flat Campaign' })
export type LegacyCampaignType = Static<typeof LegacyCampaign>

/**
 * The old service took a date or a datetime for a date (`2024-01-01T00:00:00`); the date part is
 * what counts. Checked as a real calendar date by the service.
 */
const LegacyDate = (description: string) => Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$',
  description: `${description}: YYYY-MM-DD (a datetime is read as its date)`
})

const legacyDateFilters = {
  start_date: Type.Optional(LegacyDate('With end_date: campaigns whose flight ends on or after this day')),
  end_date: Type.Optional(LegacyDate('With start_date: campaigns whose flight starts on or before this day'))
}

export const LegacyListQuery = Type.Object({
  skip: Type.Integer({ minimum: 0, default: 0, description: 'Campaigns to skip, in creation order' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 5, description: 'Page size' }),
  // No example: Swagger UI would send it pre-filled, and the list would answer only that type.
  tipo_campania: Type.Optional(Type.Union(campaignFields.tipo_campania.anyOf, { description: campaignFields.tipo_campania.description })),
  ...legacyDateFilters
}, { additionalProperties: false })
export type LegacyListQueryType = Static<typeof LegacyListQuery>

export const LegacyCampaignPage = Type.Object({
  data: Type.Array(LegacyCampaign),
  total: Type.Integer({ minimum: 0, description: 'Every matching campaign' }),
  page: Type.Integer({ minimum: 0, description: 'skip / limit, rounded down' }),
  pageSize: Type.Integer({ minimum: 1, description: 'The limit applied' })
}, { title: 'LegacyCampaignPage', description: 'A page of campaigns in creation order, with the total' })

export const LegacySearchQuery = Type.Object({
  start_date: LegacyDate('Campaigns whose flight ends on or after this day'),
  end_date: LegacyDate('Campaigns whose flight starts on or before this day')
}, { additionalProperties: false })
export type LegacySearchQueryType = Static<typeof LegacySearchQuery>

export const LegacyCampaignList = Type.Array(LegacyCampaign, { title: 'LegacyCampaignList', description: 'Every matching campaign, in creation order' })

const Period = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' })
const StableId = (of: string) => Type.Integer({ minimum: 1, description: `Stable id of this ${of}: the same row always has the same id` })

export const LegacyCampaignDetail = Type.Object({
  ...LegacyCampaign.properties,
  periods: Type.Array(Type.Object({
    id: StableId('period row'),
    campaign_name: CampaignNameString,
    period: Period,
    impactos_periodo_personas: nullable(Type.Number({ minimum: 0 })),
    impactos_periodo_vehiculos: nullable(Type.Number({ minimum: 0 }))
  }), { description: 'One per period of the periods export' }),
  sites: Type.Array(Type.Object({
    id: StableId('site and catorcena'),
    campaign_name: CampaignNameString,
    codigo_del_sitio: Type.String(),
    tipo_de_mueble: nullable(Type.String()),
    tipo_de_anuncio: nullable(Type.String()),
    estado: nullable(Type.String()),
    municipio: nullable(Type.String()),
    zm: nullable(Type.String()),
    frecuencia_catorcenal: nullable(Type.Number({ minimum: 0 })),
    frecuencia_mensual: nullable(Type.Number({ minimum: 0 })),
    impactos_catorcenal: nullable(Type.Integer({ minimum: 0 })),
    impactos_mensuales: nullable(Type.Integer({ minimum: 0 })),
    alcance_mensual: nullable(Type.Number({ minimum: 0 }))
  }), { description: 'One per row of the sites export: a site in one catorcena' })
}, { title: 'LegacyCampaignDetail', description: 'The campaign, flat, with its period rows and its site rows' })
export type LegacyCampaignDetailType = Static<typeof LegacyCampaignDetail>

/** Every old field is required, as the old service required it; null says "unknown". */
export const LegacyCampaignCreate = Type.Object({
  name: CampaignNameString,
  company_id: Type.Optional(Type.Integer({ description: 'Ignored: a campaign is always created in your company' })),
  ...legacyFields
}, { additionalProperties: false })
export type LegacyCampaignCreateType = Static<typeof LegacyCampaignCreate>

export const LegacyCampaignUpdate = Type.Partial(Type.Object({ name: CampaignNameString, ...legacyFields }), {
  additionalProperties: false, minProperties: 1, description: 'The fields to change; unknown fields are refused'
})

export const LegacyUser = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  is_active: Type.Boolean(),
  company_id: Type.Integer(),
  role: Role
}, { title: 'LegacyUser', description: 'The user' })

export const LegacyToken = Type.Object({
  access_token: Type.String({ description: 'JWT for "Authorization: Bearer"' }),
  token_type: Type.Literal('bearer')
}, { title: 'LegacyToken', description: 'The refresh token travels only in the httpOnly refresh cookie' })

export const LegacyLogout = Type.Object({ ok: Type.Literal(true) }, { title: 'LegacyLogout', description: 'The session ended and the cookie is cleared' })
