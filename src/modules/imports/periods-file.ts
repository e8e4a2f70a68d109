import type { ConflictPolicy } from '../../../schemas/imports.js'
import type { CampaignState, CampaignVersion } from './campaigns-file.js'
import { decide, formatSum, readImpact, tolerance, type Cell, type Value } from './cross-check.js'
import { readExport, type CsvSource } from './csv.js'
import type { ReportBuilder } from './report.js'
import { headerWarnings, numberKey, rowHash } from './rows.js'
import type { StagingWriter } from './session.js'
import { keptVersion } from './versions.js'
import { parseCampaignType, parsePeriodCode } from './values.js'

type PeriodRow = { line: number, lastLine: number, period: string, personas: string, vehiculos: string, hash: string }

export const PERIOD_STAGING = {
  table: 'import_periods',
  columns: ['name', 'period', 'impactos_periodo_personas', 'impactos_periodo_vehiculos'],
  types: ['text', 'text', 'numeric', 'numeric']
}

/**
 * File 2 is held per campaign until it is read to the end (one row per campaign and period, so
 * small): a campaign's columns can only be interpreted once all its periods are known.
 */
export async function readPeriods (source: CsvSource, campaigns: Map<string, CampaignState>, chosen: Map<string, CampaignVersion>, report: ReportBuilder, staging: StagingWriter, policy: ConflictPolicy, progress: (rows: number) => void): Promise<void> {
  const stats = report.report.files.periods
  const byCampaign = new Map<string, PeriodRow[]>()
  for await (const row of readExport('periods', source, headerWarnings(report, 'periods'))) {
    stats.rowsRead++
    progress(stats.rowsRead)
    const name = row.cells.name
    const state = campaigns.get(name)
    if (!state) {
      report.reject({ file: 'periods', line: row.line, ...report.unknownCampaign(name) })
      continue
    }
    state.lines.periods.push(row.line)
    const version = chosen.get(name) ?? state.versions[0]
    const type = parseCampaignType(row.cells.tipo_campania)
    const period = version ? parsePeriodCode(row.cells.period, version.tipo) : undefined
    const reason = row.fieldCountError ??
      (!type.ok ? type.reason : version && type.value !== version.tipo ? `tipo_campania ${type.value} differs from the campaign's ${version.tipo}` : undefined) ??
      (period && !period.ok ? `period: ${period.reason}` : period?.value === null ? 'period is empty' : undefined)
    if (reason) {
      report.reject({ file: 'periods', line: row.line, campaign: name, reason })
      continue
    }
    const rows = byCampaign.get(name) ?? []
    byCampaign.set(name, rows)
    const { impactos_periodo_personas: personas, impactos_periodo_vehiculos: vehiculos } = row.cells
    const hash = rowHash([row.cells.period, numberKey(personas || null), numberKey(vehiculos || null)])
    rows.push({ line: row.line, lastLine: row.line, period: row.cells.period, personas, vehiculos, hash })
  }
  for (const [name, rows] of byCampaign) {
    const version = chosen.get(name)
    if (!version || report.rejectedCampaigns.has(name)) continue
    const unique = resolveDuplicates(name, rows, report, policy)
    if (unique) await interpretCampaign(name, version, unique, report, staging)
  }
}

/** Exact copies are dropped (and counted); two versions of one period are a conflict. */
function resolveDuplicates (name: string, rows: PeriodRow[], report: ReportBuilder, policy: ConflictPolicy): PeriodRow[] | undefined {
  const byPeriod = new Map<string, PeriodRow[]>()
  for (const row of rows) {
    const versions = byPeriod.get(row.period) ?? []
    byPeriod.set(row.period, versions)
    const same = versions.find((v) => v.hash === row.hash)
    if (same) {
      report.duplicate('periods', row.line, same.line)
      same.lastLine = row.line
    } else {
      versions.push(row)
    }
  }
  const kept: PeriodRow[] = []
  for (const [period, versions] of byPeriod) {
    if (versions.length === 1) {
      kept.push(versions[0])
      continue
    }
    const lines = versions.map((v) => v.line)
    if (policy === 'reject') {
      report.conflict({ file: 'periods', key: `${name} ${period}`, lines, columns: ['impactos_periodo_personas', 'impactos_periodo_vehiculos'], resolution: 'rejected' })
      report.rejectCampaign(name, `period ${period} has conflicting rows (periods lines ${lines.join(', ')})`)
      continue
    }
    const keep = keptVersion(versions, policy)
    report.conflict({ file: 'periods', key: `${name} ${period}`, lines, columns: ['impactos_periodo_personas', 'impactos_periodo_vehiculos'], resolution: `kept line ${keep.line} (--on-conflict ${policy})` })
    for (const v of versions) if (v !== keep) report.supersede('periods', name)
    kept.push(keep)
  }
  return report.rejectedCampaigns.has(name) ? undefined : kept
}

async function interpretCampaign (name: string, version: CampaignVersion, rows: PeriodRow[], report: ReportBuilder, staging: StagingWriter): Promise<void> {
  const cellsP: Cell[] = rows.map((r) => ({ line: r.line, raw: r.personas }))
  const cellsV: Cell[] = rows.map((r) => ({ line: r.line, raw: r.vehiculos }))
  const valuesP: Value[] = []
  const valuesV: Value[] = []
  for (const [cells, values, column] of [[cellsP, valuesP, 'impactos_periodo_personas'], [cellsV, valuesV, 'impactos_periodo_vehiculos']] as const) {
    for (const cell of cells) {
      const value = readImpact(cell.raw)
      if ('error' in value) {
        report.reject({ file: 'periods', line: cell.line, campaign: name, column, raw: cell.raw, reason: `${column}: ${value.error}` })
        return
      }
      values.push(value)
    }
  }
  const totals = { personas: version.personas, vehiculos: version.vehiculos }
  const decision = decide(cellsP, cellsV, valuesP, valuesV, totals)
  const tolerances = [totals.personas, totals.vehiculos].map((t) => t === null ? 'no total' : `±${tolerance(t)}`).join(' / ')
  if (decision.mapping === 'unconfirmed') {
    report.crossCheck({
      campaign: name,
      mapping: 'unconfirmed',
      tolerance: tolerances,
      impactosPersonas: { total: totals.personas, sum: formatSum(valuesP.reduce((s, v) => s + v.number, 0)) },
      impactosVehiculos: { total: totals.vehiculos, sum: formatSum(valuesV.reduce((s, v) => s + v.number, 0)) }
    })
    await storeUnconfirmed(name, rows, valuesP, valuesV, totals, report, staging)
    return
  }
  report.crossCheck({
    campaign: name,
    mapping: decision.mapping,
    tolerance: tolerances,
    impactosPersonas: { total: totals.personas, sum: formatSum(decision.personas.sum) },
    impactosVehiculos: { total: totals.vehiculos, sum: formatSum(decision.vehiculos.sum) }
  })
  const swapped = decision.mapping === 'swapped'
  for (const [i, row] of rows.entries()) {
    const personas = decision.personas.values[i]
    const vehiculos = decision.vehiculos.values[i]
    const sources = swapped
      ? [[personas, 'impactos_periodo_vehiculos', row.vehiculos], [vehiculos, 'impactos_periodo_personas', row.personas]] as const
      : [[personas, 'impactos_periodo_personas', row.personas], [vehiculos, 'impactos_periodo_vehiculos', row.vehiculos]] as const
    let repaired = swapped
    for (const [value, column, raw] of sources) {
      for (const repair of value.repairs) {
        repaired = true
        const detail = repair.rule === 'lost-decimal-point' ? `the point placed so that the campaign's values add up to its total within ${tolerances}` : undefined
        report.repair({ file: 'periods', line: row.line, column, raw, recovered: repair.recovered, rule: repair.rule, detail })
      }
    }
    if (swapped) {
      report.repair({ file: 'periods', line: row.line, column: 'impactos_periodo_personas', raw: row.personas, recovered: personas.text!, rule: 'swapped-impact-columns', detail: 'stored as impactos_periodo_vehiculos: the campaign totals confirm the columns are swapped' })
      report.repair({ file: 'periods', line: row.line, column: 'impactos_periodo_vehiculos', raw: row.vehiculos, recovered: vehiculos.text!, rule: 'swapped-impact-columns', detail: 'stored as impactos_periodo_personas: the campaign totals confirm the columns are swapped' })
    }
    if (repaired) report.report.files.periods.rowsRepaired++
    await staging.add([name, row.period, personas.text, vehiculos.text])
  }
}

/**
 * Totals that do not confirm any reading: values are stored as labelled when they can be true
 * (a warning says the totals disagree); a value above the campaign's larger total cannot be a
 * part of it (a lost decimal point the totals do not confirm), so its row is rejected.
 */
async function storeUnconfirmed (name: string, rows: PeriodRow[], valuesP: Value[], valuesV: Value[], totals: { personas: string | null, vehiculos: string | null }, report: ReportBuilder, staging: StagingWriter): Promise<void> {
  const ceiling = totals.personas === null || totals.vehiculos === null ? Infinity : Math.max(Number(totals.personas), Number(totals.vehiculos))
  const bad = rows.filter((_, i) => valuesP[i].number > ceiling || valuesV[i].number > ceiling)
  for (const row of bad) report.reject({ file: 'periods', line: row.line, campaign: name, reason: `an impact value exceeds the campaign total ${ceiling}, and no decimal point placement adds up to the totals` })
  if (bad.length > 0) return
  report.warning({ file: 'periods', campaign: name, code: 'totals-mismatch', message: totals.personas === null || totals.vehiculos === null ? 'the campaign has no totals to cross-check its periods: stored as labelled' : 'the period values do not add up to the campaign totals under either column mapping: stored as labelled' })
  for (const [i, row] of rows.entries()) {
    for (const [value, column, raw] of [[valuesP[i], 'impactos_periodo_personas', row.personas], [valuesV[i], 'impactos_periodo_vehiculos', row.vehiculos]] as const) {
      for (const repair of value.repairs) report.repair({ file: 'periods', line: row.line, column, raw, recovered: repair.recovered, rule: repair.rule })
    }
    if (valuesP[i].repairs.length + valuesV[i].repairs.length > 0) report.report.files.periods.rowsRepaired++
    await staging.add([name, row.period, valuesP[i].text, valuesV[i].text])
  }
}
