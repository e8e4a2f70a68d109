import type { ConflictPolicy, ImportConflict, ImportCrossCheck, ImportFileStats, ImportRejection, ImportRepair, ImportReport, ImportWarning } from '../../../schemas/imports.js'
import type { FileKind } from './columns.js'

type Listed = 'repairs' | 'rejections' | 'duplicates' | 'warnings'

const emptyStats = (source: string): ImportFileStats => ({ source, rowsRead: 0, rowsValid: 0, rowsLoaded: 0, rowsRepaired: 0, rowsRejected: 0, duplicates: 0, superseded: 0 })

/** Collects the report while the files stream; long lists stop growing at `limit` (the counts stay exact). */
export class ReportBuilder {
  readonly report: ImportReport
  /** Campaign name -> why it is rejected; a rejected campaign stores nothing. */
  readonly rejectedCampaigns = new Map<string, string[]>()
  /**
   * How each row of the two small files was counted, by file and line: the lists stop at `limit`,
   * and a rejected campaign's rows must be counted once, whatever the lists kept.
   */
  private readonly counted = new Map<string, 'rejected' | 'duplicate'>()
  /** Versions set aside by --on-conflict first|last, counted at the end unless their campaign is rejected (then they are rejected rows). */
  private readonly superseded: Array<{ file: FileKind, campaign: string }> = []
  private readonly started = Date.now()

  constructor (companyId: number, sources: Record<FileKind, string>, options: { partial: boolean, conflictPolicy: ConflictPolicy }, private readonly limit = 100_000) {
    this.report = {
      companyId,
      committed: false,
      partial: options.partial,
      conflictPolicy: options.conflictPolicy,
      durationMs: 0,
      files: { campaigns: emptyStats(sources.campaigns), periods: emptyStats(sources.periods), sites: emptyStats(sources.sites) },
      campaigns: { accepted: [], rejected: [] },
      crossChecks: [],
      repairs: [],
      rejections: [],
      conflicts: [],
      duplicates: [],
      warnings: [],
      omitted: { repairs: 0, rejections: 0, duplicates: 0, warnings: 0 }
    }
  }

  private push<K extends Listed> (list: K, entry: ImportReport[K][number]): void {
    const entries = this.report[list] as Array<typeof entry>
    if (entries.length < this.limit) entries.push(entry)
    else this.report.omitted[list]++
  }

  repair (entry: ImportRepair): void { this.push('repairs', entry) }
  warning (entry: ImportWarning): void { this.push('warnings', entry) }
  crossCheck (entry: ImportCrossCheck): void { this.report.crossChecks.push(entry) }
  conflict (entry: ImportConflict): void { this.report.conflicts.push(entry) }

  duplicate (file: FileKind, line: number, duplicateOf: number): void {
    this.report.files[file].duplicates++
    this.push('duplicates', { file, line, duplicateOf })
    if (file !== 'sites') this.counted.set(`${file}:${line}`, 'duplicate')
  }

  /** A version set aside by the first/last conflict policy (its conflict entry names it). */
  supersede (file: FileKind, campaign: string): void { this.superseded.push({ file, campaign }) }

  /** How a row of the campaigns or periods file was counted so far. */
  countedAs (file: Exclude<FileKind, 'sites'>, line: number): 'rejected' | 'duplicate' | undefined {
    return this.counted.get(`${file}:${line}`)
  }

  /** Drops a duplicate entry whose row is counted as rejected instead (its campaign was rejected). */
  undoDuplicate (file: FileKind, line: number): void {
    this.report.files[file].duplicates--
    this.report.duplicates = this.report.duplicates.filter((d) => d.file !== file || d.line !== line)
    this.counted.delete(`${file}:${line}`)
  }

  /** A row not stored; its campaign (when known) is rejected with it, so no campaign is stored half. */
  reject (entry: ImportRejection): void {
    this.report.files[entry.file].rowsRejected++
    this.push('rejections', entry)
    if (entry.file !== 'sites') this.counted.set(`${entry.file}:${entry.line}`, 'rejected')
    if (entry.campaign !== undefined) this.rejectCampaign(entry.campaign, `${entry.file} line ${entry.line}: ${entry.reason}`)
  }

  rejectCampaign (name: string, reason: string): void {
    const reasons = this.rejectedCampaigns.get(name)
    if (!reasons) this.rejectedCampaigns.set(name, [reason])
    else if (reasons.length < 20 && !reasons.includes(reason)) reasons.push(reason)
  }

  /** Why a row naming this campaign cannot be stored when the campaign has no valid row. */
  unknownCampaign (name: string): { campaign?: string, reason: string } {
    if (!name) return { reason: 'name is empty' }
    const rejected = this.rejectedCampaigns.get(name)
    if (rejected) return { campaign: name, reason: `campaign ${name} rejected: ${rejected[0]}` }
    return { reason: `campaign "${name}" is not in the campaigns file` }
  }

  get rejectedRows (): number {
    const { campaigns, periods, sites } = this.report.files
    return campaigns.rowsRejected + periods.rowsRejected + sites.rowsRejected
  }

  finish (accepted: string[], committed: boolean): ImportReport {
    const report = this.report
    report.committed = committed
    report.campaigns.accepted = accepted.sort()
    report.campaigns.rejected = [...this.rejectedCampaigns].map(([name, reasons]) => ({ name, reasons })).sort((a, b) => a.name.localeCompare(b.name))
    for (const { file, campaign } of this.superseded) if (!this.rejectedCampaigns.has(campaign)) report.files[file].superseded++
    for (const stats of Object.values(report.files)) stats.rowsLoaded = committed ? stats.rowsValid : 0
    report.durationMs = Date.now() - this.started
    return report
  }
}
