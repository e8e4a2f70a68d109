import type { CampaignState, CampaignVersion } from './campaigns-file.js'
import { SITE_ATTRIBUTES, SITE_COLUMNS, SITE_FACTS } from './columns.js'
import { readExportBatches, type CsvSource } from './csv.js'
import type { ReportBuilder } from './report.js'
import { headerWarnings, parseInto, SQL_TYPES } from './rows.js'
import { parseText } from './values.js'
import type { StagingWriter } from './session.js'

// File 3 is the large one: each row is validated and COPYed to staging as it streams; only
// per-campaign state is kept. Duplicates and conflicts are found afterwards in SQL (merge.ts), by
// comparing the parsed values: rows that differ only in how a number is printed (0.5, 0.50) are duplicates.

export const SITE_STAGING = {
  table: 'import_site_rows',
  columns: ['line', 'name', 'codigo_del_sitio', ...SITE_ATTRIBUTES.map((s) => s.name), ...SITE_FACTS.map((s) => s.name)],
  types: ['integer', 'text', 'text', ...SITE_ATTRIBUTES.map((s) => SQL_TYPES[s.kind]), ...SITE_FACTS.map((s) => SQL_TYPES[s.kind])]
}

const SPECS = [...SITE_ATTRIBUTES, ...SITE_FACTS]
const at = (name: string) => SITE_COLUMNS.findIndex((spec) => spec.name === name)
const POSITIONS = SPECS.map((spec) => at(spec.name))
const NAME = at('name')
const CODE = at('codigo_del_sitio')
/** Positions in the staging row: line, name, code, then SPECS. */
const START = 3 + SPECS.findIndex((spec) => spec.name === 'fecha_uso_inicio')
const END = 3 + SPECS.findIndex((spec) => spec.name === 'fecha_uso_fin')

function siteCodeProblem (code: string): string | undefined {
  const parsed = parseText(code)
  return parsed.ok ? undefined : `codigo_del_sitio: ${parsed.reason}`
}

export async function readSites (source: CsvSource, campaigns: Map<string, CampaignState>, chosen: Map<string, CampaignVersion>, report: ReportBuilder, staging: StagingWriter, progress: (rows: number) => void): Promise<void> {
  const stats = report.report.files.sites
  for await (const rows of readExportBatches('sites', source, headerWarnings(report, 'sites'))) {
    for (const row of rows) {
      stats.rowsRead++
      progress(stats.rowsRead)
      const name = row.values[NAME]
      if (!campaigns.has(name)) {
        report.reject({ file: 'sites', line: row.line, ...report.unknownCampaign(name) })
        continue
      }
      const code = row.values[CODE]
      const codeProblem = code === '' ? 'codigo_del_sitio is empty' : siteCodeProblem(code)
      if (codeProblem) {
        report.reject({ file: 'sites', line: row.line, campaign: name, column: 'codigo_del_sitio', raw: code, reason: codeProblem })
        continue
      }
      const staged = new Array<string | null>(3 + SPECS.length)
      staged[0] = String(row.line)
      staged[1] = name
      staged[2] = code
      if (!parseInto(staged, 3, report, 'sites', row, SPECS, POSITIONS, name)) continue
      const start = staged[START]
      const end = staged[END]
      if (start && end && start > end) {
        report.reject({ file: 'sites', line: row.line, campaign: name, reason: `fecha_uso_inicio ${start} is after fecha_uso_fin ${end}` })
        continue
      }
      const flight = chosen.get(name)
      if (flight && ((start && start < flight.fechaInicio) || (end && end > flight.fechaFin))) {
        report.warning({
          file: 'sites',
          line: row.line,
          campaign: name,
          code: 'usage-outside-flight',
          message: `site ${code} is used ${start}..${end}, outside the campaign flight ${flight.fechaInicio}..${flight.fechaFin}: stored as exported`
        })
      }
      const sending = staging.add(staged)
      if (sending) await sending
    }
  }
}
