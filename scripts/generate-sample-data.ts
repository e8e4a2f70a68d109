/**
 * Writes the three campaign exports (bd_campanias_agrupado/periodos/sitios.csv) with seeded,
 * realistic figures and, unless --clean, each defect class of data-formats.md, plus a
 * manifest.json listing every injected defect. Same options => byte-identical files.
 */
import path from 'node:path'
import { exitWithUsageError, integerOption, readCommandLine } from '../src/cli/command-line.js'
import { progress } from '../src/cli/progress.js'
import { generate, type GeneratorOptions, type Range } from './sample-data/generate.js'

const HELP = `Usage: npm run generate:data -- [options]

  --campaigns N               campaigns to write (default 40; no limit with --site-rows)
  --sites-per-campaign N|A-B  sites per campaign (default 1-8)
  --periods-per-campaign N|A-B  months or catorcenas per campaign (default 1-4, at most 24)
  --site-rows N               stop once the sites file has N rows (benchmarks; --campaigns still caps)
  --site-pool N               distinct sites to draw from (default: a third of the site slots)
  --seed S                    integer seed (default 1)
  --defect-rate R             chance per campaign and defect class (default 0.05)
  --clean                     no defects (and no duplicate or conflicting rows)
  --bom                       start each file with a UTF-8 byte order mark
  --crlf                      CRLF line ends (as the real exports have)
  --no-final-newline          no line end after the last record (as the real exports end)
  --out DIR                   output folder (default .data/sample-data, git-ignored)
  --help                      this text

Writes bd_campanias_agrupado.csv, bd_campanias_periodos.csv, bd_campanias_sitios.csv and
manifest.json (every injected defect: file, line, column, class, raw text, true value).`

function range (name: string, text: string, max: number): Range {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text)
  if (!match) exitWithUsageError(`--${name} takes N or A-B, got "${text}"`)
  const [min, top] = [Number(match[1]), Number(match[2] ?? match[1])]
  if (min < 1 || top < min || top > max) exitWithUsageError(`--${name} must lie within 1..${max} with A <= B, got "${text}"`)
  return [min, top]
}

const values = readCommandLine({
  campaigns: { type: 'string' },
  'sites-per-campaign': { type: 'string', default: '1-8' },
  'periods-per-campaign': { type: 'string', default: '1-4' },
  'site-rows': { type: 'string', default: '0' },
  'site-pool': { type: 'string', default: '0' },
  seed: { type: 'string', default: '1' },
  'defect-rate': { type: 'string', default: '0.05' },
  clean: { type: 'boolean', default: false },
  bom: { type: 'boolean', default: false },
  crlf: { type: 'boolean', default: false },
  'no-final-newline': { type: 'boolean', default: false },
  out: { type: 'string', default: '.data/sample-data' }
}, HELP)

const defectRate = Number(values['defect-rate'])
if (!(defectRate >= 0 && defectRate <= 1)) exitWithUsageError(`--defect-rate must be a number in 0..1, got "${values['defect-rate']}"`)
const siteRows = integerOption('--site-rows', values['site-rows'])
const options: GeneratorOptions = {
  seed: integerOption('--seed', values.seed),
  campaigns: values.campaigns ? integerOption('--campaigns', values.campaigns, 1) : siteRows > 0 ? Number.MAX_SAFE_INTEGER : 40,
  sitesPerCampaign: range('sites-per-campaign', values['sites-per-campaign'], 1000),
  periodsPerCampaign: range('periods-per-campaign', values['periods-per-campaign'], 24),
  siteRows,
  sitePool: integerOption('--site-pool', values['site-pool']),
  defectRate,
  clean: values.clean,
  bom: values.bom,
  crlf: values.crlf,
  ...(values['no-final-newline'] ? { finalNewline: false } : {})
}

const out = path.resolve(values.out)
const started = performance.now()
const { show, clear } = progress()
const summary = await generate(options, out, (campaigns, rows) => {
  const target = siteRows > 0 ? ` / ${siteRows.toLocaleString('en')} site rows` : ` / ${options.campaigns.toLocaleString('en')} campaigns`
  show(`  ${campaigns.toLocaleString('en')} campaigns, ${rows.toLocaleString('en')} site rows${target}`)
}).catch((error: NodeJS.ErrnoException) => {
  clear()
  // The folder cannot be made or written (a file of that name, no permission, a full disk).
  if (typeof error.code !== 'string') throw error
  console.error(`--out ${values.out}: ${error.message}. Choose a folder that can be created or written.`)
  process.exit(1)
})
clear()

const seconds = (performance.now() - started) / 1000
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`
const lines = [
  `Wrote ${summary.campaigns.toLocaleString('en')} campaigns to ${out} in ${seconds.toFixed(1)} s (seed ${options.seed}${options.clean ? ', clean' : ''}):`,
  ...Object.values(summary.files).map((f) => `  ${f.name.padEnd(28)} ${f.rows.toLocaleString('en').padStart(12)} rows ${mb(f.bytes).padStart(10)}`),
  `  ${summary.manifest.name.padEnd(28)} ${''.padStart(17)} ${mb(summary.manifest.bytes).padStart(10)}`,
  options.clean ? 'No defects injected (--clean).' : 'Defects injected (manifest entries by class):',
  ...(options.clean ? [] : Object.entries(summary.defects).map(([klass, n]) => `  ${klass.padEnd(22)} ${n.toLocaleString('en').padStart(10)}`)),
  `Peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}.`
]
process.stdout.write(lines.join('\n') + '\n')
