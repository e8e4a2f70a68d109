import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { generate, type GeneratorOptions } from '../../scripts/sample-data/generate.js'
import { epochDays, readExport } from './read-export.js'

const DATA = fileURLToPath(new URL('../../db/sample-data/', import.meta.url))
const FILES = ['bd_campanias_agrupado.csv', 'bd_campanias_periodos.csv', 'bd_campanias_sitios.csv', 'manifest.json']

// The headers of the customer exports, in their order (data-formats.md and the real export);
// written out here, not imported from the generator, so a change there cannot pass unnoticed.
const HOURS = Array.from({ length: 24 }, (_, h) => `hourly_vehicle_count_${String(h).padStart(2, '0')}`)
const HEADERS = {
  'bd_campanias_agrupado.csv': [
    'name', 'sites', 'periods', 'tipo_campania', 'fecha_inicio', 'fecha_fin', 'universo_zona_metro', 'impactos_personas',
    'impactos_vehiculos', 'frecuencia_calculada', 'frecuencia_promedio', 'alcance', 'nse_ab', 'nse_c', 'nse_cmas', 'nse_d',
    'nse_dmas', 'nse_e', 'edad_0a14', 'edad_15a19', 'edad_20a24', 'edad_25a34', 'edad_35a44', 'edad_45a64', 'edad_65mas',
    'hombres', 'mujeres', ...HOURS
  ],
  'bd_campanias_periodos.csv': ['name', 'tipo_campania', 'period', 'impactos_periodo_personas', 'impactos_periodo_vehículos'],
  'bd_campanias_sitios.csv': [
    'codigo_del_sitio', 'tipo_de_mueble', 'tipo_de_anuncio', 'disponible', 'estado', 'municipio', 'zm',
    'nivel_socioeconomico_ab', 'nivel_socioeconomico_c_mas', 'nivel_socioeconomico_c', 'nivel_socioeconomico_d',
    'nivel_socioeconomico_e', 'nivel_socioeconomico_d_mas', 'cero_catorce', 'quince_diecinueve', 'veinte_veinticuatro',
    'veinticinco_treintaycuatro', 'treintaycinco_cuarentaycuatro', 'cuarentaycinco_sesentaycuatro', 'sesentaycinco_mas',
    'per_muj', 'per_hom', 'frecuencia_catorcenal', 'frecuencia_mensual', 'exposicion_promedio_catorcenal',
    'impactos_catorcenal', 'alcance_vehiculos_catorcenal', 'id_fourteen', 'mes', 'impactos_mensuales', 'alcance_mensual',
    'impactos_mensuales_prom_min_max', 'alcance_mensuales_prom_min_max', 'name', 'fecha_uso_inicio', 'fecha_uso_fin'
  ]
}

type Manifest = {
  options: GeneratorOptions
  defects: { class: string, file: string, line: number, column: string | null, raw: string | null, trueValue: string | null, note?: string }[]
}
const committed = JSON.parse(readFileSync(path.join(DATA, 'manifest.json'), 'utf8')) as Manifest

t.test('the committed sample data is exactly what the generator makes from its recorded options', async (t) => {
  const dir = t.testdir()
  await generate(committed.options, dir)
  for (const file of FILES) {
    t.ok(readFileSync(path.join(dir, file)).equals(readFileSync(path.join(DATA, file))), `${file} is byte-identical (run npm run generate:seed-data after changing the generator)`)
  }
})

t.test('the same seed gives byte-identical files; another seed does not', async (t) => {
  const options: GeneratorOptions = { ...committed.options, seed: 99, campaigns: 25 }
  // One test dir per test: three folders inside it, not three calls (they would share one path).
  const root = t.testdir({ a: {}, b: {}, c: {} })
  const [a, b, c] = ['a', 'b', 'c'].map((name) => path.join(root, name))
  await generate(options, a)
  await generate(options, b)
  await generate({ ...options, seed: 100 }, c)
  for (const file of FILES) t.ok(readFileSync(path.join(a, file)).equals(readFileSync(path.join(b, file))), `${file}: same seed, same bytes`)
  t.notOk(readFileSync(path.join(a, FILES[2])).equals(readFileSync(path.join(c, FILES[2]))), 'another seed, other data')
})

t.test('headers, BOM and line ends are those of the customer exports', async (t) => {
  for (const [file, header] of Object.entries(HEADERS)) {
    const bytes = readFileSync(path.join(DATA, file))
    t.same(readExport(DATA, file).header, header, `${file} header`)
    t.ok(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), `${file} starts with a BOM (recorded option bom: ${committed.options.bom})`)
    const text = bytes.toString('utf8')
    t.equal(text.split('\r\n').length, text.split('\n').length, `${file}: every line ends in CRLF`)
  }
  const campaigns = readFileSync(path.join(DATA, 'bd_campanias_agrupado.csv'), 'utf8')
  t.match(campaigns, /,"\d{4}-\d\d(,\d{4}-\d\d)+",/, 'a multi-period list is quoted, commas inside')
})

t.test('the committed manifest holds every defect class, and each entry matches the file', async (t) => {
  const classes = new Set(committed.defects.map((d) => d.class))
  for (const klass of ['date-serial', 'lost-decimal', 'swapped-columns', 'duplicate-row', 'conflicting-campaign', 'empty-optional', 'usage-outside-flight']) {
    t.ok(classes.has(klass), `class ${klass} present`)
  }
  const files = Object.fromEntries(Object.keys(HEADERS).map((f) => [f, readExport(DATA, f)]))
  for (const d of committed.defects) {
    const row = files[d.file].rows.find((r) => r.line === d.line)
    if (!row) {
      t.fail(`${d.file}:${d.line} exists`)
      continue
    }
    if (d.column) t.equal(row.cells[d.column], d.raw, `${d.class} ${d.file}:${d.line} ${d.column} holds the raw text`)
    if (d.class === 'date-serial') {
      t.equal(epochDays(d.raw!) - epochDays('1899-12-30'), Number(d.trueValue), `serial ${d.raw} is ${d.trueValue}`)
    }
    if (d.class === 'lost-decimal') t.equal(d.trueValue!.replace('.', ''), d.raw, `${d.raw} is ${d.trueValue} without its point`)
    if (d.class === 'empty-optional') t.equal(d.raw, '', 'the optional cell is empty')
    if (d.class === 'duplicate-row') {
      const of = Number(/line (\d+)/.exec(d.note ?? '')?.[1])
      t.same(files[d.file].rows.find((r) => r.line === of)?.cells, row.cells, `${d.file}:${d.line} repeats line ${of}`)
    }
    if (d.class === 'conflicting-campaign') {
      const of = Number(/line (\d+)/.exec(d.note ?? '')?.[1])
      const first = files[d.file].rows.find((r) => r.line === of)!
      t.equal(first.cells.name, row.cells.name, 'same campaign name twice')
      t.not(first.cells.impactos_personas, row.cells.impactos_personas, 'with different figures')
    }
    if (d.class === 'usage-outside-flight') {
      const flight = files['bd_campanias_agrupado.csv'].rows.find((r) => r.cells.name === row.cells.name)!.cells
      t.ok(row.cells.fecha_uso_fin < flight.fecha_inicio || row.cells.fecha_uso_inicio > flight.fecha_fin, 'usage lies outside the flight')
    }
  }
})

t.test('--no-final-newline drops only the line end after the last record', async (t) => {
  const root = t.testdir({ with: {}, without: {} })
  const options: GeneratorOptions = { ...committed.options, campaigns: 5 }
  await generate(options, path.join(root, 'with'))
  await generate({ ...options, finalNewline: false }, path.join(root, 'without'))
  for (const file of FILES.slice(0, 3)) {
    const a = readFileSync(path.join(root, 'with', file), 'utf8')
    const b = readFileSync(path.join(root, 'without', file), 'utf8')
    t.equal(b + '\r\n', a, `${file}: same records, no trailing CRLF`)
  }
})
