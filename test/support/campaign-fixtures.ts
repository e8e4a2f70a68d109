import type { Insertable, Kysely } from 'kysely'
import type { CampaignPeriodsTable, CampaignSitePeriodsTable, CampaignsTable, Database, SitesTable } from '../../src/db/schema.js'

/** Test data inserted directly with Kysely into one company: no importer, no HTTP. */
export type CampaignSpec = Partial<Omit<Insertable<CampaignsTable>, 'company_id'>> & { name: string }
export type SiteSpec = Partial<Omit<Insertable<SitesTable>, 'company_id'>> & { codigo_del_sitio: string }
export type FactSpec = Partial<Omit<Insertable<CampaignSitePeriodsTable>, 'company_id' | 'campaign_id' | 'site_id'>> & { id_fourteen: string }

export async function insertCampaigns (db: Kysely<Database>, companyId: number, specs: CampaignSpec[]): Promise<Array<{ id: number, name: string }>> {
  if (specs.length === 0) return []
  return db.insertInto('campaigns')
    .values(specs.map((spec) => ({ tipo_campania: 'catorcenal' as const, fecha_inicio: '2025-01-01', fecha_fin: '2025-01-31', ...spec, company_id: companyId })))
    .returning(['id', 'name']).execute()
}

export async function insertSites (db: Kysely<Database>, companyId: number, specs: SiteSpec[]): Promise<Array<{ id: number, codigo_del_sitio: string }>> {
  if (specs.length === 0) return []
  return db.insertInto('sites').values(specs.map((spec) => ({ ...spec, company_id: companyId })))
    .returning(['id', 'codigo_del_sitio']).execute()
}

export async function insertPeriods (db: Kysely<Database>, companyId: number, campaignId: number, periods: Array<Omit<CampaignPeriodsTable, 'company_id' | 'campaign_id'>>): Promise<void> {
  if (periods.length === 0) return
  await db.insertInto('campaign_periods').values(periods.map((p) => ({ ...p, company_id: companyId, campaign_id: campaignId }))).execute()
}

export async function insertFacts (db: Kysely<Database>, companyId: number, campaignId: number, siteId: number, facts: FactSpec[]): Promise<void> {
  if (facts.length === 0) return
  await db.insertInto('campaign_site_periods')
    .values(facts.map((f) => ({ ...f, company_id: companyId, campaign_id: campaignId, site_id: siteId }))).execute()
}

export type BuiltCampaign = { id: number, name: string, sites: Array<{ id: number, codigo_del_sitio: string }> }

/**
 * One campaign with its periods and, for each given site, one fact row per period.
 * Facts' impactos_catorcenal = factImpacts(siteIndex, periodIndex) so tests can recompute totals.
 */
export async function buildCampaign (db: Kysely<Database>, companyId: number, campaign: CampaignSpec, options: {
  sites?: SiteSpec[]
  periods?: Array<{ period: string, personas: number | null, vehiculos: number | null }>
  factImpacts?: (site: number, period: number) => number
} = {}): Promise<BuiltCampaign> {
  const periods = options.periods ?? []
  const [row] = await insertCampaigns(db, companyId, [{ periods: periods.map((p) => p.period), ...campaign }])
  await insertPeriods(db, companyId, row.id, periods.map((p) => ({ period: p.period, impactos_periodo_personas: p.personas, impactos_periodo_vehiculos: p.vehiculos })))
  const sites = await insertSites(db, companyId, options.sites ?? [])
  const impacts = options.factImpacts ?? ((s, p) => 1000 * (s + 1) + p)
  for (const [s, site] of sites.entries()) {
    await insertFacts(db, companyId, row.id, site.id, periods.map((p, i) => ({
      id_fourteen: p.period,
      mes: p.period,
      impactos_catorcenal: impacts(s, i),
      impactos_mensuales: 2 * impacts(s, i),
      alcance_vehiculos_catorcenal: impacts(s, i) / 10,
      frecuencia_catorcenal: 2 + s
    })))
  }
  return { ...row, sites }
}
