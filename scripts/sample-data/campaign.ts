import { catorcenaAt, catorcenaCode, catorcenaEnd, catorcenaStart, daysFromCivil, isoDate, lastDayOfMonth, monthCode } from './calendar.js'
import { AGE_PROFILE, GENDER_PROFILE, HOURLY_SHAPE, NSE_PROFILE } from './geography.js'
import { int, round10, shares, skewed, type Random } from './prng.js'
import type { SitePool } from './site-pool.js'

export type Campaign = {
  name: string
  tipo: 'mensual' | 'catorcenal'
  periods: string[]
  start: number
  end: number
  /** Indices of every catorcena the flight touches (one sites row per site and catorcena). */
  catorcenas: number[]
  siteIds: number[]
  universe: number
  periodPersonas: number[]
  periodVehiculos: number[]
  impactosPersonas: number
  impactosVehiculos: number
  alcance: number
  frecuenciaCalculada: number
  frecuenciaPromedio: number
  /** In file order: ab, c, cmas, d, dmas, e. */
  nse: number[]
  edad: number[]
  genero: number[]
  hourly: number[]
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k)

/** Flight 2023-01 … 2026-12: monthly campaigns run whole months, fortnightly ones whole catorcenas. */
function flight (random: Random, tipo: Campaign['tipo'], count: number) {
  if (tipo === 'mensual') {
    const first = int(random, 0, 47 - count + 1)
    const months = range(first, first + count - 1).map((m) => [2023 + Math.floor(m / 12), (m % 12) + 1] as const)
    const [ly, lm] = months[months.length - 1]
    const start = daysFromCivil(months[0][0], months[0][1], 1)
    const end = lastDayOfMonth(ly, lm)
    return { periods: months.map(([y, m]) => monthCode(y, m)), start, end, catorcenas: range(catorcenaAt(start), catorcenaAt(end)) }
  }
  const first = int(random, -52, 50 - count)
  const catorcenas = range(first, first + count - 1)
  return { periods: catorcenas.map(catorcenaCode), start: catorcenaStart(first), end: catorcenaEnd(first + count - 1), catorcenas }
}

export function makeCampaign (random: Random, name: string, periodCount: number, siteCount: number, pool: SitePool): Campaign {
  const tipo = random() < 0.6 ? 'mensual' : 'catorcenal'
  const when = flight(random, tipo, periodCount)
  const siteIds = pool.pickSites(random, siteCount)
  const universe = sum([...new Set(siteIds.map((id) => pool.zoneOf(id)))].map((zone) => zone.universe))
  const perSite = tipo === 'mensual' ? 1_600_000 : 750_000
  const periodPersonas = when.periods.map(() => Math.round(siteCount * skewed(random, perSite, 0.45)))
  const vehicleRatio = 0.4 + 0.35 * random()
  const periodVehiculos = periodPersonas.map((p) => Math.round(p * vehicleRatio * (0.95 + 0.1 * random())))
  const campaign: Campaign = {
    name,
    tipo,
    ...when,
    siteIds,
    universe,
    periodPersonas,
    periodVehiculos,
    ...totals(random, periodPersonas, periodVehiculos, universe),
    nse: shares(random, [NSE_PROFILE.ab, NSE_PROFILE.c, NSE_PROFILE.cmas, NSE_PROFILE.d, NSE_PROFILE.dmas, NSE_PROFILE.e]),
    edad: shares(random, AGE_PROFILE),
    genero: shares(random, GENDER_PROFILE, 0.08),
    hourly: []
  }
  const traffic = skewed(random, 9000, 0.7)
  campaign.hourly = HOURLY_SHAPE.map((h) => Math.round(traffic * h * (0.9 + 0.2 * random())))
  return campaign
}

/** Totals are the exact sums of the period values; frecuencia_calculada is impactos / alcance. */
function totals (random: Random, personas: number[], vehiculos: number[], universe: number) {
  const impactosPersonas = sum(personas)
  const frequency = Math.max(1.5, skewed(random, 22, 0.5))
  const alcance = Math.max(1, Math.min(Math.round(universe * 0.6), Math.round(impactosPersonas / frequency)))
  return {
    impactosPersonas,
    impactosVehiculos: sum(vehiculos),
    alcance,
    frecuenciaCalculada: round10(impactosPersonas / alcance),
    frecuenciaPromedio: Math.round(skewed(random, 16, 0.25) * 100) / 100
  }
}

/** A second, different version of the same campaign (same name and flight): the conflict defect. */
export function reviseCampaign (random: Random, campaign: Campaign, pool: SitePool): Campaign {
  const extra = pool.pickSites(random, 1).filter((id) => !campaign.siteIds.includes(id))
  const factor = 1.4 + random()
  const periodPersonas = campaign.periodPersonas.map((p) => Math.round(p * factor))
  const periodVehiculos = campaign.periodVehiculos.map((v) => Math.round(v * factor))
  return {
    ...campaign,
    siteIds: [...campaign.siteIds, ...extra],
    periodPersonas,
    periodVehiculos,
    ...totals(random, periodPersonas, periodVehiculos, campaign.universe),
    nse: shares(random, campaign.nse, 0.1)
  }
}

const num = (x: number) => String(x)

export function campaignRow (c: Campaign): string[] {
  return [
    c.name, num(c.siteIds.length), c.periods.join(','), c.tipo, isoDate(c.start), isoDate(c.end),
    num(c.universe), num(c.impactosPersonas), num(c.impactosVehiculos), num(c.frecuenciaCalculada),
    num(c.frecuenciaPromedio), num(c.alcance), ...c.nse.map(num), ...c.edad.map(num), ...c.genero.map(num),
    ...c.hourly.map(num)
  ]
}
