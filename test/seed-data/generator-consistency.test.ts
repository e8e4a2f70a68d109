import t, { type Test } from 'tap'
import { generate, type GeneratorOptions } from '../../scripts/sample-data/generate.js'
import { epochDays, exactSum, groupBy, readExport, sumOf, type ExportFile } from './read-export.js'

const OPTIONS: GeneratorOptions = {
  seed: 11, campaigns: 60, sitesPerCampaign: [1, 6], periodsPerCampaign: [1, 6], siteRows: 0, sitePool: 0, defectRate: 0.2, clean: true, bom: false, crlf: false
}
const SHARES = {
  campaign: [['nse_ab', 'nse_c', 'nse_cmas', 'nse_d', 'nse_dmas', 'nse_e'], ['edad_0a14', 'edad_15a19', 'edad_20a24', 'edad_25a34', 'edad_35a44', 'edad_45a64', 'edad_65mas'], ['hombres', 'mujeres']],
  site: [
    ['nivel_socioeconomico_ab', 'nivel_socioeconomico_c_mas', 'nivel_socioeconomico_c', 'nivel_socioeconomico_d', 'nivel_socioeconomico_e', 'nivel_socioeconomico_d_mas'],
    ['cero_catorce', 'quince_diecinueve', 'veinte_veinticuatro', 'veinticinco_treintaycuatro', 'treintaycinco_cuarentaycuatro', 'cuarentaycinco_sesentaycuatro', 'sesentaycinco_mas'],
    ['per_muj', 'per_hom']
  ]
}
const SITE_ATTRIBUTES = ['tipo_de_mueble', 'tipo_de_anuncio', 'disponible', 'estado', 'municipio', 'zm', ...SHARES.site.flat(), 'frecuencia_catorcenal', 'frecuencia_mensual', 'exposicion_promedio_catorcenal']
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))

async function exportsOf (t: Test, options: GeneratorOptions) {
  const dir = t.testdir()
  await generate(options, dir)
  return {
    campaigns: readExport(dir, 'bd_campanias_agrupado.csv'),
    periods: readExport(dir, 'bd_campanias_periodos.csv'),
    sites: readExport(dir, 'bd_campanias_sitios.csv'),
    manifest: (await import('node:fs')).readFileSync(`${dir}/manifest.json`, 'utf8')
  }
}

function checkShares (t: Test, cells: Record<string, string>, groups: string[][], where: string) {
  for (const group of groups) {
    const values = group.map((c) => Number(cells[c]))
    t.ok(values.every((v) => v >= 0 && v <= 1), `${where}: ${group[0]}… each in 0..1`)
    t.ok(Math.abs(sumOf(group.map((c) => cells[c])) - 1) < 1e-9, `${where}: ${group[0]}… sum to 1`)
  }
}

t.test('clean output is internally consistent', async (t) => {
  const { campaigns, periods, sites, manifest } = await exportsOf(t, OPTIONS)
  t.same(JSON.parse(manifest).defects, [], 'no defect listed')
  t.equal(new Set(campaigns.rows.map((r) => r.cells.name)).size, campaigns.rows.length, 'names are unique')
  const periodsOf = groupBy(periods.rows, (r) => r.cells.name)
  const sitesOf = groupBy(sites.rows, (r) => r.cells.name)
  for (const { cells: c } of campaigns.rows) {
    const list = c.periods.split(',')
    const own = periodsOf.get(c.name) ?? []
    t.same(own.map((r) => r.cells.period).sort(), [...list].sort(), `${c.name}: one periods row per listed period`)
    t.ok(own.every((r) => r.cells.tipo_campania === c.tipo_campania), `${c.name}: type repeated`)
    t.equal(exactSum(own.map((r) => r.cells.impactos_periodo_personas)), c.impactos_personas, `${c.name}: person impacts add up`)
    t.equal(exactSum(own.map((r) => r.cells['impactos_periodo_vehículos'])), c.impactos_vehiculos, `${c.name}: vehicle impacts add up`)
    const code = c.tipo_campania === 'mensual' ? /^\d{4}-(0[1-9]|1[0-2])$/ : /^\d{4}-(0[1-9]|1\d|2[0-6])$/
    t.ok(list.every((p) => code.test(p)), `${c.name}: ${c.tipo_campania} period codes`)
    const days = epochDays(c.fecha_fin) - epochDays(c.fecha_inicio) + 1
    if (c.tipo_campania === 'catorcenal') t.equal(days, 14 * list.length, `${c.name}: the flight is whole catorcenas`)
    else t.ok(c.fecha_inicio === `${list[0]}-01` && c.fecha_fin.startsWith(list.at(-1)!), `${c.name}: the flight is whole months`)
    t.ok(close(Number(c.frecuencia_calculada), Number(c.impactos_personas) / Number(c.alcance)), `${c.name}: frecuencia_calculada = impactos / alcance`)
    t.ok(Number(c.alcance) <= Number(c.universo_zona_metro), `${c.name}: reach within the universe`)
    checkShares(t, c, SHARES.campaign, c.name)

    const rows = sitesOf.get(c.name) ?? []
    const codes = new Set(rows.map((r) => r.cells.codigo_del_sitio))
    const catorcenas = new Set(rows.map((r) => r.cells.id_fourteen))
    t.equal(codes.size, Number(c.sites), `${c.name}: sites = distinct site codes`)
    t.equal(rows.length, codes.size * catorcenas.size, `${c.name}: one row per site and catorcena`)
    if (c.tipo_campania === 'catorcenal') t.same([...catorcenas].sort(), [...list].sort(), `${c.name}: rows in its catorcenas`)
    t.ok(rows.every((r) => r.cells.fecha_uso_inicio === c.fecha_inicio && r.cells.fecha_uso_fin === c.fecha_fin), `${c.name}: usage = flight`)
    t.ok(rows.every((r) => /^\d{4}-(0[1-9]|1\d|2[0-6])$/.test(r.cells.id_fourteen) && /^\d{4}-(0[1-9]|1[0-2])$/.test(r.cells.mes)), `${c.name}: id_fourteen and mes codes`)
    for (const [, month] of groupBy(rows, (r) => `${r.cells.codigo_del_sitio}|${r.cells.mes}`)) {
      const total = exactSum(month.map((r) => r.cells.impactos_catorcenal))
      t.ok(month.every((r) => r.cells.impactos_mensuales === total && r.cells.impactos_mensuales_prom_min_max === total), `${c.name}: monthly impacts = sum of the month's catorcenas`)
    }
  }
  for (const { cells } of sites.rows) {
    t.ok(close(Number(cells.alcance_vehiculos_catorcenal), Number(cells.impactos_catorcenal) / Number(cells.frecuencia_catorcenal)), 'site reach = impacts / frequency')
  }
  for (const [code, rows] of groupBy(sites.rows, (r) => r.cells.codigo_del_sitio)) {
    checkShares(t, rows[0].cells, SHARES.site, code)
    t.ok(rows.every((r) => SITE_ATTRIBUTES.every((a) => r.cells[a] === rows[0].cells[a])), `${code}: the same attributes in every row`)
  }
})

type Entry = { class: string, file: string, line: number, column: string | null, raw: string | null, trueValue: string | null }

t.test('defects sit exactly where the manifest says, and its true values restore the clean figures', async (t) => {
  const clean = await exportsOf(t, OPTIONS)
  const dirty = await exportsOf(t, { ...OPTIONS, clean: false })
  const entries = JSON.parse(dirty.manifest).defects as Entry[]
  const at = (file: string, line: number, column: string) => entries.filter((e) => e.file === file && e.line === line && e.column === column)
  const skipped = new Set(entries.filter((e) => e.class === 'duplicate-row').map((e) => `${e.file}:${e.line}`))
  const conflicted = new Set(entries.filter((e) => e.class === 'conflicting-campaign').map((e) => e.raw))
  t.ok(conflicted.size > 0 && skipped.size > 0, 'the run holds conflicts and duplicates')

  // Campaign and site rows: the defective run is the clean run plus the listed changes.
  const compare = (file: string, a: ExportFile, b: ExportFile) => {
    const cleanBy = groupBy(a.rows, (r) => r.cells.name)
    for (const [name, rows] of groupBy(b.rows.filter((r) => !skipped.has(`${file}:${r.line}`)), (r) => r.cells.name)) {
      const expected = cleanBy.get(name)!
      rows.slice(0, expected.length).forEach((row, k) => {
        for (const [column, text] of Object.entries(row.cells)) {
          const truth = expected[k].cells[column]
          if (text === truth) continue
          const listed = at(file, row.line, column)
          t.ok(listed.length > 0, `${file}:${row.line} ${column} differs and is listed`)
          if (listed[0]?.trueValue !== null) t.equal(listed[0]?.trueValue, truth, `${file}:${row.line} ${column}: true value`)
        }
      })
    }
  }
  compare('bd_campanias_agrupado.csv', clean.campaigns, dirty.campaigns)
  compare('bd_campanias_sitios.csv', clean.sites, dirty.sites)

  // Period rows: take each cell's true value (a swap entry states what belongs under the header).
  const totals = new Map(dirty.campaigns.rows.map((r) => [r.cells.name, r.cells]))
  for (const [name, rows] of groupBy(dirty.periods.rows.filter((r) => !skipped.has(`bd_campanias_periodos.csv:${r.line}`)), (r) => r.cells.name)) {
    if (conflicted.has(name)) continue
    const truth = (line: number, column: string, text: string) => {
      const listed = at('bd_campanias_periodos.csv', line, column)
      return (listed.find((e) => e.class === 'swapped-columns') ?? listed[0])?.trueValue ?? text
    }
    const personas = rows.map((r) => truth(r.line, 'impactos_periodo_personas', r.cells.impactos_periodo_personas))
    const vehiculos = rows.map((r) => truth(r.line, 'impactos_periodo_vehículos', r.cells['impactos_periodo_vehículos']))
    t.equal(exactSum(personas), totals.get(name)!.impactos_personas, `${name}: true person impacts add up`)
    t.equal(exactSum(vehiculos), totals.get(name)!.impactos_vehiculos, `${name}: true vehicle impacts add up`)
  }
})
