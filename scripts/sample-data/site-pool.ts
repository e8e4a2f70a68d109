import { AGE_PROFILE, FURNITURE, GENDER_PROFILE, NSE_PROFILE, ZONES, type Zone } from './geography.js'
import { derive, int, pick, pickWeighted, round10, shares, skewed, type Random } from './prng.js'

export type Site = {
  id: number
  code: string
  mueble: string
  anuncio: string
  disponible: string
  estado: string
  municipio: string
  zone: Zone
  /** In file order: ab, c_mas, c, d, e, d_mas. */
  nse: number[]
  edad: number[]
  /** per_muj, per_hom */
  genero: number[]
  frecuenciaCatorcenal: number
  frecuenciaMensual: number
  exposicion: number
  /** Median impacts of this site per catorcena. */
  impactsPerCatorcena: number
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

// Site codes are free text in the exports (spaces, dashes, slashes); the id keeps each one unique.
const CODE_SHAPES: readonly ((zone: string, id: number, random: Random) => string)[] = [
  (zone, id) => `${zone}-${pad(id, 3)}`,
  (zone, id, random) => `DD${zone}${pad(id, 3)} - ${int(random, 1, 2)}`,
  (zone, id, random) => `${zone}${pad(id, 4)}-${pad(int(random, 1, 99), 3)}${pick(random, ['CN', 'CC', 'PN'])}/EST`,
  (zone, id, random) => `${zone}${pad(int(random, 1, 99), 3)}-${pad(id, 5)}-${int(random, 1, 3)}`,
  (zone, id) => `${zone} ${pad(id, 4)}`
]

/**
 * The site dimension, computed from (seed, id) on demand: no table in memory, yet a site code
 * always comes with the same attributes, in every campaign that uses it. Ids are laid out in
 * one block per metro zone, sized by the zone's weight.
 */
export class SitePool {
  private readonly bounds: number[] = []

  constructor (private readonly seed: number, readonly size: number) {
    const total = ZONES.reduce((s, z) => s + z.weight, 0)
    let acc = 0
    for (const zone of ZONES) {
      acc += zone.weight
      this.bounds.push(Math.max(this.bounds.at(-1) ?? 0, Math.round((acc / total) * size)))
    }
  }

  zoneIndexOf (id: number): number {
    const index = this.bounds.findIndex((bound) => id < bound)
    return index === -1 ? ZONES.length - 1 : index
  }

  zoneOf (id: number): Zone {
    return ZONES[this.zoneIndexOf(id)]
  }

  /** Distinct sites, mostly from one metro zone, now and then one from elsewhere (national campaigns). */
  pickSites (random: Random, count: number): number[] {
    const zone = pickWeighted(random, ZONES.map((z, i) => [i, z.weight] as const))
    const from = zone === 0 ? 0 : this.bounds[zone - 1]
    const to = this.bounds[zone]
    const ids = new Set<number>()
    for (let attempt = 0; ids.size < count && attempt < count * 20; attempt++) {
      const elsewhere = random() < 0.12 || to <= from
      ids.add(elsewhere ? int(random, 0, this.size - 1) : int(random, from, to - 1))
    }
    return [...ids]
  }

  site (id: number): Site {
    const random = derive(this.seed, id)
    const zone = this.zoneOf(id)
    const [estado, municipio] = pick(random, zone.places)
    const mueble = pickWeighted(random, FURNITURE.map(([name, weight]) => [name, weight] as const))
    const digitalShare = FURNITURE.find(([name]) => name === mueble)?.[2] ?? 0
    const frecuenciaCatorcenal = round10(Math.max(2, skewed(random, 12, 0.35)))
    const [ab, cmas, c, dmas, d, e] = shares(random, [NSE_PROFILE.ab, NSE_PROFILE.cmas, NSE_PROFILE.c, NSE_PROFILE.dmas, NSE_PROFILE.d, NSE_PROFILE.e])
    const edad = shares(random, AGE_PROFILE, 0.25)
    const [hom, muj] = shares(random, GENDER_PROFILE, 0.06)
    return {
      id,
      code: CODE_SHAPES[int(random, 0, CODE_SHAPES.length - 1)](zone.code, id, random),
      mueble,
      anuncio: random() < digitalShare ? 'Digital' : 'Tradicional',
      disponible: random() < 0.95 ? 'Sí' : 'No',
      estado,
      municipio,
      zone,
      nse: [ab, cmas, c, d, e, dmas],
      edad,
      genero: [muj, hom],
      frecuenciaCatorcenal,
      frecuenciaMensual: round10(frecuenciaCatorcenal * (1.25 + 0.1 * random())),
      exposicion: round10(skewed(random, 20, 0.6)),
      impactsPerCatorcena: skewed(random, 600_000, 0.6)
    }
  }
}
