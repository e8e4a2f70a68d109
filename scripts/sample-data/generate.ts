import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { campaignRow, makeCampaign, reviseCampaign, type Campaign } from './campaign.js'
import { CAMPAIGN_COLUMNS, FILE_NAMES, PERIOD_COLUMNS, SITE_COLUMNS, type FileKey } from './columns.js'
import { CsvWriter } from './csv-writer.js'
import { injectCampaign, injectPeriods, injectSites, outRows, type OutRow, type Plan } from './defects.js'
import { DEFECT_CLASSES, ManifestWriter, type DefectClass } from './manifest.js'
import { int, mulberry32, pick, type Random } from './prng.js'
import { periodRows, siteRows } from './rows.js'
import { SitePool } from './site-pool.js'

export type Range = [min: number, max: number]

/** Everything that decides the output, bytes included (written to manifest.json to regenerate it). */
export type GeneratorOptions = {
  seed: number
  campaigns: number
  sitesPerCampaign: Range
  periodsPerCampaign: Range
  /** Stop once the sites file holds this many rows (0: no limit; `campaigns` still caps). */
  siteRows: number
  /** Distinct sites to draw from (0: about a third of the site slots). */
  sitePool: number
  /** Chance, per campaign and defect class, that the campaign carries that defect. */
  defectRate: number
  clean: boolean
  bom: boolean
  crlf: boolean
  /** false: no line end after the last record, as the real exports end (absent = true). */
  finalNewline?: boolean
}

export type GeneratorSummary = {
  campaigns: number
  files: Record<FileKey, { name: string, rows: number, bytes: number }>
  manifest: { name: string, bytes: number }
  defects: Record<DefectClass, number>
}

export type Progress = (campaigns: number, siteRows: number) => void

const sameAs = (klass: DefectClass, line?: number) => klass === 'duplicate-row'
  ? `an exact copy of line ${line}`
  : `a second version, with other figures, of the campaign on line ${line}`

const pickWhere = <T extends string>(random: Random, options: readonly T[]) => pick(random, options)

/**
 * Each class is drawn independently per campaign; one campaign per class (chosen up front) always
 * carries it, so even a small data set holds every class. The defect stream is separate from the
 * data stream: the same seed with and without --clean gives the same campaigns.
 */
function planner (random: Random, options: GeneratorOptions) {
  const span = Math.max(1, Math.min(options.campaigns, options.siteRows > 0 ? 100 : options.campaigns))
  const forced = Object.fromEntries(DEFECT_CLASSES.map((c) => [c, int(random, 0, span - 1)])) as Record<DefectClass, number>
  const has = (klass: DefectClass, i: number) => forced[klass] === i || random() < options.defectRate
  return (i: number, c: Campaign): Plan => {
    const plan: Plan = {
      serial: has('date-serial', i) ? pickWhere(random, ['periods', 'periods', 'campaign', 'sites'] as const) : undefined,
      lostDecimal: has('lost-decimal', i) ? pickWhere(random, ['periods', 'periods', 'campaign', 'sites'] as const) : undefined,
      swap: has('swapped-columns', i),
      duplicate: has('duplicate-row', i) ? pickWhere(random, ['periods', 'sites', 'sites'] as const) : undefined,
      conflict: has('conflicting-campaign', i),
      empty: has('empty-optional', i),
      outside: has('usage-outside-flight', i)
    }
    // A lone period equals the total: there is no decimal point to lose. Lost decimals in the
    // periods take the column a serial would have used, so that one moves to the totals.
    if (plan.lostDecimal === 'periods' && c.periods.length < 2) plan.lostDecimal = 'campaign'
    if (plan.lostDecimal === 'periods' && plan.serial === 'periods') plan.serial = 'campaign'
    return plan
  }
}

export async function generate (options: GeneratorOptions, outDir: string, progress?: Progress): Promise<GeneratorSummary> {
  await mkdir(outDir, { recursive: true })
  const data = mulberry32(options.seed)
  const defectRandom = mulberry32(options.seed ^ 0x5bd1e995)
  const averageSites = (options.sitesPerCampaign[0] + options.sitesPerCampaign[1]) / 2
  const slots = options.siteRows > 0 ? options.siteRows / 4 : options.campaigns * averageSites
  const pool = new SitePool(options.seed, options.sitePool || Math.max(30, Math.ceil(Math.min(slots, 1e7) / 3)))
  const eol = options.crlf ? '\r\n' : '\n'
  const writers = {
    campaigns: new CsvWriter(path.join(outDir, FILE_NAMES.campaigns), CAMPAIGN_COLUMNS, eol, options.bom, options.finalNewline ?? true),
    periods: new CsvWriter(path.join(outDir, FILE_NAMES.periods), PERIOD_COLUMNS, eol, options.bom, options.finalNewline ?? true),
    sites: new CsvWriter(path.join(outDir, FILE_NAMES.sites), SITE_COLUMNS, eol, options.bom, options.finalNewline ?? true)
  }
  const manifest = new ManifestWriter(path.join(outDir, 'manifest.json'), options)
  const plan = planner(defectRandom, options)
  const nameWidth = Math.min(String(options.campaigns).length, 7)

  const emit = (key: FileKey, rows: OutRow[]) => {
    const columns: readonly string[] = key === 'campaigns' ? CAMPAIGN_COLUMNS : key === 'periods' ? PERIOD_COLUMNS : SITE_COLUMNS
    for (const row of rows) {
      row.line = writers[key].write(row.fields)
      for (const entry of row.entries) {
        const note = entry.duplicateOf ? sameAs(entry.class, entry.duplicateOf.line) : entry.note
        manifest.add({
          class: entry.class,
          file: FILE_NAMES[key],
          line: row.line,
          column: entry.column,
          raw: entry.raw !== undefined ? entry.raw : entry.column ? row.fields[columns.indexOf(entry.column)] : null,
          trueValue: entry.trueValue,
          ...(note ? { note } : {})
        })
      }
    }
  }

  let count = 0
  for (; count < options.campaigns; count++) {
    if (options.siteRows > 0 && writers.sites.rows >= options.siteRows) break
    const name = `campania_${String(count + 1).padStart(nameWidth, '0')}`
    const campaign = makeCampaign(data, name, int(data, ...options.periodsPerCampaign), int(data, ...options.sitesPerCampaign), pool)
    const periods = periodRows(campaign)
    if (data() < 0.3) periods.reverse() // the exports do not always list periods in order
    const sites = siteRows(data, campaign, pool)
    const rows = { campaigns: outRows([campaignRow(campaign)]), periods: outRows(periods), sites: outRows(sites.map((s) => s.fields)) }
    if (!options.clean) {
      const p = plan(count, campaign)
      injectCampaign(defectRandom, rows.campaigns[0], p)
      injectPeriods(defectRandom, campaign, rows.periods, p)
      injectSites(defectRandom, campaign, rows.sites, p)
      if (p.conflict) {
        const second = reviseCampaign(defectRandom, campaign, pool)
        const row: OutRow = { fields: campaignRow(second), entries: [] }
        row.entries.push({ class: 'conflicting-campaign', column: 'name', trueValue: null, duplicateOf: rows.campaigns[0] })
        rows.campaigns.push(row)
        rows.periods.push(...outRows(periodRows(second)))
        rows.sites.push(...outRows(siteRows(defectRandom, second, pool).map((s) => s.fields)))
      }
    }
    emit('campaigns', rows.campaigns)
    emit('periods', rows.periods)
    emit('sites', rows.sites)
    await Promise.all([writers.campaigns.flushIfFull(), writers.periods.flushIfFull(), writers.sites.flushIfFull(), manifest.flushIfFull()])
    if (progress && (count & 1023) === 0) progress(count, writers.sites.rows)
  }

  const files = {} as GeneratorSummary['files']
  for (const key of Object.keys(writers) as FileKey[]) {
    files[key] = { name: FILE_NAMES[key], rows: writers[key].rows, bytes: await writers[key].close() }
  }
  const manifestBytes = await manifest.finish(files)
  progress?.(count, writers.sites.rows)
  return { campaigns: count, files, manifest: { name: 'manifest.json', bytes: manifestBytes }, defects: { ...manifest.counts } }
}
