import { CAMPAIGN_COLUMNS, HOURS } from './columns.js'
import { readExport, type CsvSource } from './csv.js'
import { checkFrequency } from './frequency-check.js'
import type { ReportBuilder } from './report.js'
import { headerWarnings, parseColumns, SQL_TYPES, valuesHash } from './rows.js'
import type { StagingWriter } from './session.js'
import { parsePeriodCode } from './values.js'

/** What later files need of a campaign: kept small, since file 1 may list many campaigns. */
export type CampaignVersion = {
  line: number
  lastLine: number
  hash: string
  tipo: 'mensual' | 'catorcenal'
  fechaInicio: string
  fechaFin: string
  personas: string | null
  vehiculos: string | null
}
export type CampaignState = {
  versions: CampaignVersion[]
  /** Every line of the campaign in each file, to count its rows as rejected if it is. */
  lines: { campaigns: number[], periods: number[] }
}

const SCALAR_COLUMNS = CAMPAIGN_COLUMNS.filter((spec) => !HOURS.includes(spec.name))

export const CAMPAIGN_STAGING = {
  table: 'import_campaigns',
  columns: ['line', ...SCALAR_COLUMNS.map((spec) => spec.name), 'hourly_vehicle_count'],
  types: ['integer', ...SCALAR_COLUMNS.map((spec) => SQL_TYPES[spec.kind]), 'integer[]']
}

/** Reads file 1 into staging and returns the per-campaign state the cross-checks need. */
export async function readCampaigns (source: CsvSource, report: ReportBuilder, staging: StagingWriter, progress: (rows: number) => void): Promise<Map<string, CampaignState>> {
  const campaigns = new Map<string, CampaignState>()
  const stats = report.report.files.campaigns
  for await (const row of readExport('campaigns', source, headerWarnings(report, 'campaigns'))) {
    stats.rowsRead++
    progress(stats.rowsRead)
    const name = row.cells.name || undefined
    const repairedRows = stats.rowsRepaired
    const values = parseColumns(report, 'campaigns', row, CAMPAIGN_COLUMNS, name)
    if (!values) continue
    if (values.name === null) {
      report.reject({ file: 'campaigns', line: row.line, reason: 'name is empty' })
      continue
    }
    // As the API refuses them: clients normalise /campaigns/.. to / before sending it.
    if (values.name === '.' || values.name === '..') {
      report.reject({ file: 'campaigns', line: row.line, campaign: values.name, reason: `name "${values.name}" cannot be addressed in a URL: rename the campaign` })
      continue
    }
    const tipo = values.tipo_campania as 'mensual' | 'catorcenal'
    const problem = checkCampaign(values, tipo)
    if (problem) {
      report.reject({ file: 'campaigns', line: row.line, campaign: values.name, reason: problem })
      continue
    }
    // A row counts once as repaired, whichever of its cells were.
    if (checkFrequency(values, report, row.line, values.name) && stats.rowsRepaired === repairedRows) stats.rowsRepaired++
    const state = campaigns.get(values.name) ?? { versions: [], lines: { campaigns: [], periods: [] } }
    campaigns.set(values.name, state)
    state.lines.campaigns.push(row.line)
    const hash = valuesHash(values, CAMPAIGN_COLUMNS)
    const same = state.versions.find((v) => v.hash === hash)
    if (same) {
      report.duplicate('campaigns', row.line, same.line)
      same.lastLine = row.line
      continue
    }
    state.versions.push({
      line: row.line, lastLine: row.line, hash, tipo, fechaInicio: values.fecha_inicio!, fechaFin: values.fecha_fin!, personas: values.impactos_personas, vehiculos: values.impactos_vehiculos
    })
    const hours = HOURS.map((hour) => values[hour])
    // The column lists the period codes the export declares: an empty (or absent) cell declares none.
    const periods = `{${values.periods ?? ''}}`
    await staging.add([String(row.line), ...SCALAR_COLUMNS.map((spec) => spec.name === 'periods' ? periods : values[spec.name]), hours.every((h) => h === null) ? null : `{${hours.map((h) => h ?? 'NULL').join(',')}}`])
  }
  return campaigns
}

/** Rules that need more than one cell; the periods list is normalised in place to `a,b,c`. */
function checkCampaign (values: Record<string, string | null>, tipo: 'mensual' | 'catorcenal'): string | undefined {
  if (values.fecha_inicio === null || values.fecha_fin === null) return 'fecha_inicio and fecha_fin are required'
  if (values.fecha_inicio > values.fecha_fin) return `fecha_inicio ${values.fecha_inicio} is after fecha_fin ${values.fecha_fin}`
  if (values.periods !== null) {
    const codes = values.periods.split(',').map((code) => code.trim()).filter(Boolean)
    for (const code of codes) {
      const parsed = parsePeriodCode(code, tipo)
      if (!parsed.ok) return `periods: ${parsed.reason} for a ${tipo} campaign`
    }
    values.periods = codes.join(',')
  }
  return undefined
}
