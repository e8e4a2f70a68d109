import type { ImportReport } from '../../../schemas/imports.js'

const RULES: Record<string, string> = {
  'spreadsheet-date-serial': 'numbers printed as spreadsheet dates, recovered as day serials',
  'lost-decimal-point': 'lost decimal points, placed where the campaign totals (or impacts / reach) confirm',
  'swapped-impact-columns': 'swapped impact columns, confirmed by the campaign totals'
}

/** The human summary the CLI and the seed print; the JSON report holds every entry. */
export function summarise (report: ImportReport, maxLines = 10): string {
  const lines: string[] = []
  for (const [file, s] of Object.entries(report.files)) {
    lines.push(`${file.padEnd(9)} read ${s.rowsRead}, loaded ${s.rowsLoaded}, repaired ${s.rowsRepaired}, rejected ${s.rowsRejected}, duplicates ${s.duplicates}${s.superseded ? `, superseded ${s.superseded}` : ''}   (${s.source})`)
  }
  const byRule = new Map<string, number>()
  for (const r of report.repairs) byRule.set(r.rule, (byRule.get(r.rule) ?? 0) + 1)
  for (const [rule, count] of byRule) lines.push(`repaired: ${count} cell(s), ${RULES[rule] ?? rule}`)
  for (const c of report.conflicts.slice(0, maxLines)) lines.push(`conflict: ${c.file} ${c.key} (lines ${c.lines.join(', ')}; differs in ${c.columns.join(', ')}): ${c.resolution}`)
  for (const c of report.campaigns.rejected.slice(0, maxLines)) lines.push(`rejected campaign ${c.name}: ${c.reasons[0]}`)
  if (report.campaigns.rejected.length > maxLines) lines.push(`… and ${report.campaigns.rejected.length - maxLines} more rejected campaigns (see the JSON report)`)
  const warnings = new Map<string, number>()
  for (const w of report.warnings) warnings.set(w.code, (warnings.get(w.code) ?? 0) + 1)
  for (const [code, count] of warnings) lines.push(`warning: ${count} × ${code} (${report.warnings.find((w) => w.code === code)!.message})`)
  const omitted = Object.entries(report.omitted).filter(([, n]) => n > 0)
  if (omitted.length > 0) lines.push(`report lists truncated: ${omitted.map(([k, n]) => `${n} more ${k}`).join(', ')}`)
  lines.push(`${report.campaigns.accepted.length} campaign(s) accepted, ${report.campaigns.rejected.length} rejected; ` +
    (report.committed ? 'committed.' : 'NOTHING was stored (rows were rejected; see above).'))
  return lines.join('\n')
}
