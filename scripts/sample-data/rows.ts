import { catorcenaCode, catorcenaMonth, isoDate } from './calendar.js'
import type { Campaign } from './campaign.js'
import { PERIOD_COLUMNS, SITE_COLUMNS } from './columns.js'
import { round10, skewed, type Random } from './prng.js'
import type { SitePool } from './site-pool.js'

export const SITE_COLUMN_INDEX = Object.fromEntries(SITE_COLUMNS.map((c, i) => [c, i])) as Record<typeof SITE_COLUMNS[number], number>
export const PERIOD_COLUMN_INDEX = Object.fromEntries(PERIOD_COLUMNS.map((c, i) => [c, i])) as Record<typeof PERIOD_COLUMNS[number], number>

export type SiteRow = { siteId: number, fields: string[] }

/** One row per period: [name, tipo, period, personas, vehículos], integers that add up to the totals. */
export function periodRows (c: Campaign): string[][] {
  return c.periods.map((period, k) => [c.name, c.tipo, period, String(c.periodPersonas[k]), String(c.periodVehiculos[k])])
}

/**
 * One row per site and catorcena of the flight. The month figures are the sums of the site's
 * catorcenas reported under that month, and every reach is impacts / frequency, as in the exports.
 */
export function siteRows (random: Random, c: Campaign, pool: SitePool): SiteRow[] {
  const rows: SiteRow[] = []
  for (const siteId of c.siteIds) {
    const site = pool.site(siteId)
    const impacts = c.catorcenas.map(() => Math.round(skewed(random, site.impactsPerCatorcena, 0.15)))
    const months = c.catorcenas.map(catorcenaMonth)
    const monthly = new Map<string, number>()
    months.forEach((mes, k) => monthly.set(mes, (monthly.get(mes) ?? 0) + impacts[k]))
    c.catorcenas.forEach((catorcena, k) => {
      const impactosMensuales = monthly.get(months[k]) ?? 0
      const alcanceMensual = String(round10(impactosMensuales / site.frecuenciaMensual))
      rows.push({
        siteId,
        fields: [
          site.code, site.mueble, site.anuncio, site.disponible, site.estado, site.municipio, site.zone.zm,
          ...site.nse.map(String), ...site.edad.map(String), ...site.genero.map(String),
          String(site.frecuenciaCatorcenal), String(site.frecuenciaMensual), String(site.exposicion),
          String(impacts[k]), String(round10(impacts[k] / site.frecuenciaCatorcenal)),
          catorcenaCode(catorcena), months[k], String(impactosMensuales), alcanceMensual,
          String(impactosMensuales), alcanceMensual, c.name, isoDate(c.start), isoDate(c.end)
        ]
      })
    })
  }
  // The exports list a campaign's rows catorcena by catorcena, not site by site.
  const perSite = c.catorcenas.length
  return rows.map((_, n) => rows[(n % c.siteIds.length) * perSite + Math.floor(n / c.siteIds.length)])
}
