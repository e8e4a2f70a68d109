import type { CampaignState, CampaignVersion } from './campaigns-file.js'
import { SITE_ATTRIBUTES, SITE_FACTS } from './columns.js'
import { readExportBatches, type CsvSource } from './csv.js'
import type { ReportBuilder } from './report.js'
import { headerWarnings, parseColumns, SQL_TYPES } from './rows.js'
import type { StagingWriter } from './session.js'

// File 3 is the large one: each row is validated and COPYed to staging as it streams; only
// per-campaign state is kept. Duplicates and conflicts are found afterwards in SQL (merge.ts), by
// comparing the parsed values: rows that differ only in how a number is printed (0.5, 0.50) are duplicates.

export const SITE_STAGING = {
  table: 'import_site_rows',
  columns: ['line', 'name', 'codigo_del_sitio', ...SITE_ATTRIBUTES.map((s) => s.name), ...SITE_FACTS.map((s) => s.name)],
  types: ['integer', 'text', 'text', ...SITE_ATTRIBUTES.map((s) => SQL_TYPES[s.kind]), ...SITE_FACTS.map((s) => SQL_TYPES[s.kind])]
}

export async function readSites (source: CsvSource, campaigns: Map<string, CampaignState>, chosen: Map<string, CampaignVersion>, report: ReportBuilder, staging: StagingWriter, progress: (rows: number) => void): Promise<void> {
  const stats = report.report.files.sites
  const specs = [...SITE_ATTRIBUTES, ...SITE_FACTS]
  for await (const rows of readExportBatches('sites', source, headerWarnings(report, 'sites'))) {
    for (const row of rows) {
      stats.rowsRead++
      progress(stats.rowsRead)
      const name = row.cells.name
      if (!campaigns.has(name)) {
        report.reject({ file: 'sites', line: row.line, ...report.unknownCampaign(name) })
        continue
      }
      const code = row.cells.codigo_del_sitio
      if (code === '') {
        report.reject({ file: 'sites', line: row.line, campaign: name, reason: 'codigo_del_sitio is empty' })
        continue
      }
      const values = parseColumns(report, 'sites', row, specs, name)
      if (!values) continue
      if (values.fecha_uso_inicio && values.fecha_uso_fin && values.fecha_uso_inicio > values.fecha_uso_fin) {
        report.reject({ file: 'sites', line: row.line, campaign: name, reason: `fecha_uso_inicio ${values.fecha_uso_inicio} is after fecha_uso_fin ${values.fecha_uso_fin}` })
        continue
      }
      const flight = chosen.get(name)
      if (flight && ((values.fecha_uso_inicio && values.fecha_uso_inicio < flight.fechaInicio) || (values.fecha_uso_fin && values.fecha_uso_fin > flight.fechaFin))) {
        report.warning({
          file: 'sites',
          line: row.line,
          campaign: name,
          code: 'usage-outside-flight',
          message: `site ${code} is used ${values.fecha_uso_inicio}..${values.fecha_uso_fin}, outside the campaign flight ${flight.fechaInicio}..${flight.fechaFin}: stored as exported`
        })
      }
      const sending = staging.add([String(row.line), name, code, ...SITE_ATTRIBUTES.map((s) => values[s.name]), ...SITE_FACTS.map((s) => values[s.name])])
      if (sending) await sending
    }
  }
}
