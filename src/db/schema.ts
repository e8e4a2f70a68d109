import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/**
 * Kysely's view of the tables created by db/migrations. test/db/schema-drift.test.ts
 * compares it with the migrated catalog, so a migration without a matching change here fails CI.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface CompaniesTable {
  id: Generated<number>
  name: string
  created_at: Generated<Timestamp>
}

export interface UsersTable {
  id: Generated<number>
  company_id: number
  email: string
  password_hash: string
  role: Generated<'viewer' | 'admin' | 'owner'>
  is_active: Generated<boolean>
  password_changed_at: Generated<Timestamp>
  /** Access tokens issued at or before this are refused (logout, password change, deactivation: db/migrations/0003). */
  tokens_valid_after: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

export interface RefreshTokensTable {
  id: Generated<number>
  user_id: number
  token_hash: string
  family_id: string
  parent_id: number | null
  created_at: Generated<Timestamp>
  expires_at: Timestamp
  family_expires_at: Timestamp
  used_at: Timestamp | null
  revoked_at: Timestamp | null
}

type Share = number | null
type Count = number | null
type CalendarDate = string

export interface CampaignsTable {
  company_id: number
  id: Generated<number>
  name: string
  /** Number of distinct sites, as declared by the export. */
  sites: Count
  /** Period codes as declared by the export (YYYY-MM for mensual, YYYY-NN catorcena for catorcenal). */
  periods: ColumnType<string[], string[] | undefined, string[]>
  tipo_campania: 'mensual' | 'catorcenal'
  fecha_inicio: CalendarDate
  fecha_fin: CalendarDate
  universo_zona_metro: Count
  impactos_personas: Count
  impactos_vehiculos: Count
  frecuencia_calculada: number | null
  frecuencia_promedio: number | null
  alcance: Count
  nse_ab: Share
  nse_cmas: Share
  nse_c: Share
  nse_dmas: Share
  nse_d: Share
  nse_e: Share
  edad_0a14: Share
  edad_15a19: Share
  edad_20a24: Share
  edad_25a34: Share
  edad_35a44: Share
  edad_45a64: Share
  edad_65mas: Share
  hombres: Share
  mujeres: Share
  /** hourly_vehicle_count_00..23 of the export, hour 0 first; an empty cell is a NULL element. */
  hourly_vehicle_count: Array<number | null> | null
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
  /** Distinct sites with facts; kept by the database's triggers (db/migrations/0004_campaign_figures.ts). */
  sites_count: Generated<number>
  /** Rows in campaign_periods; kept like sites_count. */
  periods_count: Generated<number>
  /** The distinct metro zones and states of the campaign's sites with facts, sorted; kept like sites_count. */
  zms: ColumnType<string[], string[] | undefined, string[]>
  estados: ColumnType<string[], string[] | undefined, string[]>
  /** The campaign's sites with facts (sorted), each one's zone and the sum of its facts' impacts there; kept like sites_count (db/migrations/0007_zone_aggregates.ts). */
  site_ids: ColumnType<string[], string[] | undefined, string[]>
  site_zms: ColumnType<Array<string | null>, Array<string | null> | undefined, Array<string | null>>
  /** numeric[]: exact sums, as text. */
  site_impactos: ColumnType<string[], string[] | undefined, string[]>
}

/** The number of campaigns per company and type, kept by triggers on campaigns (db/migrations/0006_campaign_type_counts.ts). */
export interface CampaignTypeCountsTable {
  company_id: number
  tipo_campania: 'mensual' | 'catorcenal'
  campaigns: number
}

/** A new version with every write to a company's campaigns (db/migrations/0008_company_data_versions.ts). */
export interface CompanyDataVersionsTable {
  company_id: number
  version: string
}

/**
 * Rows of db/migrations/0007_zone_aggregates.ts over the campaigns with a site in a zone
 * (with_zm), or in a state (with_estado), or over all campaigns (both NULL); the per-flight site
 * and zone rows are over all campaigns only.
 */
interface Selection {
  with_zm: string | null
  with_estado: string | null
}

/** Campaigns with facts at a site, and those facts' impacts, per flight or per type (db/migrations/0007_zone_aggregates.ts). */
export interface SiteTotalsTable extends Selection {
  company_id: number
  tipo_campania: 'mensual' | 'catorcenal'
  site_id: number
  campaigns: number
  /** numeric: an exact sum (read it as text). */
  impactos: string
}

/** Campaigns with facts at a site of a zone (NULL: a site without one), per flight or per type (db/migrations/0007_zone_aggregates.ts). */
export interface ZoneCountsTable extends Selection {
  company_id: number
  tipo_campania: 'mensual' | 'catorcenal'
  zm: string | null
  campaigns: number
}

type PerFlight = { fecha_inicio: CalendarDate, fecha_fin: CalendarDate }

/** The flight totals over the campaigns with a site in a zone, or in a state (db/migrations/0007_zone_aggregates.ts). */
export interface FlightSelectionTotalsTable extends Selection, PerFlight {
  company_id: number
  tipo_campania: 'mensual' | 'catorcenal'
  campaigns: number
  /** numeric: exact sums (read them as text). */
  impactos_personas: number
  impactos_vehiculos: number
  alcance: number
}

/** The overview's totals per company and flight, kept by triggers on campaigns (db/migrations/0005_overview_aggregates.ts). */
export interface CampaignFlightTotalsTable {
  company_id: number
  tipo_campania: 'mensual' | 'catorcenal'
  fecha_inicio: CalendarDate
  fecha_fin: CalendarDate
  campaigns: number
  /** numeric: exact sums (read them as text). */
  impactos_personas: number
  impactos_vehiculos: number
  alcance: number
}

export interface CampaignPeriodsTable {
  company_id: number
  campaign_id: number
  period: string
  /** numeric: may carry a fraction as exported (pg parses numeric to a JS number). */
  impactos_periodo_personas: number | null
  impactos_periodo_vehiculos: number | null
}

export interface SitesTable {
  company_id: number
  id: Generated<number>
  codigo_del_sitio: string
  tipo_de_mueble: string | null
  tipo_de_anuncio: string | null
  disponible: boolean | null
  estado: string | null
  municipio: string | null
  zm: string | null
  nivel_socioeconomico_ab: Share
  nivel_socioeconomico_c_mas: Share
  nivel_socioeconomico_c: Share
  nivel_socioeconomico_d: Share
  nivel_socioeconomico_e: Share
  nivel_socioeconomico_d_mas: Share
  cero_catorce: Share
  quince_diecinueve: Share
  veinte_veinticuatro: Share
  veinticinco_treintaycuatro: Share
  treintaycinco_cuarentaycuatro: Share
  cuarentaycinco_sesentaycuatro: Share
  sesentaycinco_mas: Share
  per_muj: Share
  per_hom: Share
}

export interface CampaignSitePeriodsTable {
  company_id: number
  campaign_id: number
  site_id: number
  /** Catorcena code YYYY-NN. */
  id_fourteen: string
  /** Month code YYYY-MM; NULL when the export left it empty. */
  mes: string | null
  frecuencia_catorcenal: number | null
  frecuencia_mensual: number | null
  exposicion_promedio_catorcenal: number | null
  impactos_catorcenal: Count
  alcance_vehiculos_catorcenal: number | null
  impactos_mensuales: Count
  alcance_mensual: number | null
  impactos_mensuales_prom_min_max: Count
  alcance_mensuales_prom_min_max: number | null
  fecha_uso_inicio: CalendarDate | null
  fecha_uso_fin: CalendarDate | null
}

export interface Database {
  companies: CompaniesTable
  users: UsersTable
  refresh_tokens: RefreshTokensTable
  campaigns: CampaignsTable
  campaign_periods: CampaignPeriodsTable
  sites: SitesTable
  campaign_site_periods: CampaignSitePeriodsTable
  campaign_flight_totals: CampaignFlightTotalsTable
  campaign_type_counts: CampaignTypeCountsTable
  flight_site_totals: Omit<SiteTotalsTable, keyof Selection> & PerFlight
  type_site_totals: SiteTotalsTable
  flight_zone_counts: Omit<ZoneCountsTable, keyof Selection> & PerFlight
  type_zone_counts: ZoneCountsTable
  flight_selection_totals: FlightSelectionTotalsTable
  company_data_versions: CompanyDataVersionsTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Company = Selectable<CompaniesTable>
export type RefreshToken = Selectable<RefreshTokensTable>
export type Campaign = Selectable<CampaignsTable>
export type NewCampaign = Insertable<CampaignsTable>
export type CampaignPeriod = Selectable<CampaignPeriodsTable>
export type Site = Selectable<SitesTable>
export type CampaignSitePeriod = Selectable<CampaignSitePeriodsTable>
