import type { Kysely } from 'kysely'
import type { CampaignSummaryType, OverviewType, PeriodsSummaryType, SitesSummaryType } from '../../../schemas/analytics.js'
import type { CampaignFilters } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'
import { campaignNotFound, getCampaignOrThrow, pickFilters } from '../campaigns/service.js'
import { exactDecimal } from '../../db/exact-decimal.js'
import * as repository from './repository.js'
import { totalsFromAggregates, totalsServedByAggregates, zonesFromAggregates, zonesServedByAggregates } from './overview-repository.js'

const num = (v: number | string | null) => v === null ? null : Number(v)
const int = (v: number | string | null) => Number(v ?? 0)

export async function campaignSummary (db: Kysely<Database>, companyId: number, name: string): Promise<CampaignSummaryType> {
  const c = await repository.campaignFigures(db, companyId, name)
  if (!c) throw campaignNotFound(name)
  return {
    name: c.name,
    tipo_campania: c.tipo_campania,
    fecha_inicio: c.fecha_inicio,
    fecha_fin: c.fecha_fin,
    audience: {
      nse: { ab: c.nse_ab, c_mas: c.nse_cmas, c: c.nse_c, d_mas: c.nse_dmas, d: c.nse_d, e: c.nse_e },
      edad: { '0a14': c.edad_0a14, '15a19': c.edad_15a19, '20a24': c.edad_20a24, '25a34': c.edad_25a34, '35a44': c.edad_35a44, '45a64': c.edad_45a64, '65mas': c.edad_65mas },
      genero: { hombres: c.hombres, mujeres: c.mujeres }
    },
    totals: {
      impactos_personas: c.impactos_personas,
      impactos_vehiculos: c.impactos_vehiculos,
      alcance: c.alcance,
      universo_zona_metro: c.universo_zona_metro,
      sites_count: int(c.sites_count),
      periods_count: int(c.periods_count),
      impactos_sitios: exactDecimal(c.impactos_sitios ?? '0')
    },
    frecuencia: { calculada: c.frecuencia_calculada, promedio: c.frecuencia_promedio },
    hourly_vehicle_profile: { hours: c.hourly_vehicle_count, peak_hour: num(c.peak_hour), total: num(c.hourly_total) },
    derived: {
      impactos_por_sitio: num(c.impactos_por_sitio),
      impactos_por_periodo: num(c.impactos_por_periodo),
      alcance_share_universo: num(c.alcance_share_universo),
      frecuencia_efectiva: num(c.frecuencia_efectiva)
    }
  }
}

function stats (s: Awaited<ReturnType<typeof repository.periodStats>>) {
  return {
    total: exactDecimal(s.total),
    average: num(s.average),
    min: s.min_period === null ? null : { period: s.min_period, value: Number(s.min_value) },
    max: s.max_period === null ? null : { period: s.max_period, value: Number(s.max_value) }
  }
}

export async function periodsSummary (db: Kysely<Database>, companyId: number, name: string): Promise<PeriodsSummaryType> {
  const c = await getCampaignOrThrow(db, companyId, name)
  // Independent reads, no transaction held: concurrent on a pool, queued on PGlite's one connection.
  const [series, personas, vehiculos] = await Promise.all([
    repository.periodSeries(db, companyId, c.id),
    repository.periodStats(db, companyId, c.id, 'impactos_periodo_personas'),
    repository.periodStats(db, companyId, c.id, 'impactos_periodo_vehiculos')
  ])
  return {
    name: c.name,
    tipo_campania: c.tipo_campania,
    fecha_inicio: c.fecha_inicio,
    fecha_fin: c.fecha_fin,
    periods_count: series.length,
    series: series.map((row) => ({
      ...row,
      change_personas: num(row.change_personas),
      change_personas_pct: num(row.change_personas_pct),
      change_vehiculos: num(row.change_vehiculos),
      change_vehiculos_pct: num(row.change_vehiculos_pct)
    })),
    personas: stats(personas),
    vehiculos: stats(vehiculos)
  }
}

export async function sitesSummary (db: Kysely<Database>, companyId: number, name: string): Promise<SitesSummaryType> {
  const c = await getCampaignOrThrow(db, companyId, name)
  const [rows, top] = await Promise.all([repository.siteBreakdowns(db, companyId, c.id), repository.topSites(db, companyId, c.id, 10)])
  const breakdowns = Object.fromEntries(repository.SITE_DIMENSIONS.map((d) => [d, [] as SitesSummaryType['breakdowns']['zm']])) as SitesSummaryType['breakdowns']
  for (const { dimension, value, sites, impactos, alcance } of rows) {
    breakdowns[dimension].push({ value, sites: int(sites), impactos: exactDecimal(impactos), alcance: exactDecimal(alcance) })
  }
  return {
    name: c.name,
    tipo_campania: c.tipo_campania,
    fecha_inicio: c.fecha_inicio,
    fecha_fin: c.fecha_fin,
    sites_count: int(c.sites_count),
    breakdowns,
    top_sites: top.map((s) => ({ ...s, impactos: exactDecimal(s.impactos), alcance: exactDecimal(s.alcance) }))
  }
}

const totalsOf = <T extends { campaigns: number, impactos_personas: string, impactos_vehiculos: string, alcance: string }>(row: T) => ({
  ...row,
  campaigns: int(row.campaigns),
  impactos_personas: exactDecimal(row.impactos_personas),
  impactos_vehiculos: exactDecimal(row.impactos_vehiculos),
  alcance: exactDecimal(row.alcance)
})

export async function overview (db: Kysely<Database>, companyId: number, query: CampaignFilters): Promise<OverviewType> {
  const filters = pickFilters(query)
  // Type, dates, a zone or a state: the aggregates kept per flight, type and selection, as many
  // rows as the company has flights and sites (docs/maintained-figures.md says which for each
  // filter). Otherwise the campaigns, through pg_trgm's index on lower(name) and the GIN indexes
  // on zms and estados.
  const [{ overall, byTipo, byMonth }, byZone] = await Promise.all([
    totalsServedByAggregates(filters) ? totalsFromAggregates(db, companyId, filters) : repository.overviewByCampaign(db, companyId, filters),
    zonesServedByAggregates(filters) ? zonesFromAggregates(db, companyId, filters) : repository.overviewByZone(db, companyId, filters)
  ])
  return {
    totals: totalsOf(overall),
    by_tipo: byTipo.map(totalsOf),
    by_month: byMonth.map(totalsOf),
    by_zm: byZone.map((z) => ({ zm: z.zm, campaigns: int(z.campaigns), sites: int(z.sites), impactos: exactDecimal(z.impactos) }))
  }
}
