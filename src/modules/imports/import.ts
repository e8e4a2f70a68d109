import { setTimeout } from 'node:timers/promises'
import type { ConflictPolicy, ImportReport } from '../../../schemas/imports.js'
import type { Kysely } from 'kysely'
import type { DatabaseConnection } from '../../db/engine.js'
import type { Database } from '../../db/schema.js'
import { CAMPAIGN_STAGING, readCampaigns, type CampaignState, type CampaignVersion } from './campaigns-file.js'
import type { FileKind } from './columns.js'
import type { CsvSource } from './csv.js'
import { countValid, createStaging, findSiteConflicts, mergeIntoFinal, rejectedSiteRows } from './merge.js'
import { PERIOD_STAGING, readPeriods } from './periods-file.js'
import { ReportBuilder } from './report.js'
import { openSession, StagingWriter, type ImportSession } from './session.js'
import { readSites, SITE_STAGING } from './sites-file.js'
import { publishRowOutcomes } from './row-metrics.js'
import { keptVersion } from './versions.js'
import { findOrCreateCompanyWith } from '../companies/repository.js'

export type ImportProgress = { file: FileKind | 'merge', rowsRead: number, done: boolean }

/** The company the campaigns belong to: by id, or by name, found or created in the import's own transaction (so a run that stores nothing leaves no new company behind). */
type ImportTarget = { companyId: number, companyName?: never } | { companyName: string, companyId?: never }

export type ImportOptions = ImportTarget & ImportSettings

export type ImportSettings = {
  files: Record<FileKind, CsvSource>
  /** What the report calls each file instead of its path (an upload's own file name, not the server's temporary path). */
  sourceNames?: Partial<Record<FileKind, string>>
  /** Commit the accepted campaigns even when others are rejected (default: any rejection stores nothing). */
  partial?: boolean
  conflictPolicy?: ConflictPolicy
  onProgress?: (progress: ImportProgress) => void
  /** Longest list of repairs / rejections / duplicates / warnings kept in the report (counts stay exact). */
  reportLimit?: number
}

const PROGRESS_EVERY = 10_000

/**
 * Imports the three exports for one company in ONE transaction on one client: campaigns first
 * (their totals drive the cross-checks), then periods, then the sites facts, streamed. On PGlite
 * (one connection) the caller must hold no other connection or transaction while this runs.
 * Given a DatabaseConnection it loads staging with COPY; given a bare Kysely instance (a kysely-ctl
 * seed) with multi-row INSERTs.
 */
export async function importCampaignFiles (connection: DatabaseConnection | Kysely<Database>, options: ImportOptions): Promise<ImportReport> {
  const policy = options.conflictPolicy ?? 'reject'
  const partial = options.partial ?? false
  const sources = Object.fromEntries(Object.entries(options.files).map(([k, v]) => [k, options.sourceNames?.[k as FileKind] ?? (typeof v === 'string' ? v : `(${k} stream)`)])) as Record<FileKind, string>
  const progress = (file: FileKind) => (rowsRead: number) => {
    if (rowsRead % PROGRESS_EVERY === 0) options.onProgress?.({ file, rowsRead, done: false })
  }
  const { session, companyId } = await lockedSession(connection, options)
  let open = true
  try {
    const report = new ReportBuilder(companyId, sources, { partial, conflictPolicy: policy }, options.reportLimit)
    // The set-based merge sorts and hashes whole staging tables: in memory rather than on disk.
    await session.query("set local work_mem = '256MB'")
    await createStaging(session)
    const campaignStaging = new StagingWriter(session, CAMPAIGN_STAGING.table, CAMPAIGN_STAGING.columns)
    const campaigns = await readCampaigns(options.files.campaigns, report, campaignStaging, progress('campaigns'))
    await campaignStaging.flush()
    options.onProgress?.({ file: 'campaigns', rowsRead: report.report.files.campaigns.rowsRead, done: true })
    const chosen = chooseVersions(campaigns, report, policy)

    const periodStaging = new StagingWriter(session, PERIOD_STAGING.table, PERIOD_STAGING.columns)
    await readPeriods(options.files.periods, campaigns, chosen, report, periodStaging, policy, progress('periods'))
    await periodStaging.flush()
    options.onProgress?.({ file: 'periods', rowsRead: report.report.files.periods.rowsRead, done: true })

    const siteStaging = new StagingWriter(session, SITE_STAGING.table, SITE_STAGING.columns)
    await readSites(options.files.sites, campaigns, chosen, report, siteStaging, progress('sites'))
    await siteStaging.flush()
    options.onProgress?.({ file: 'sites', rowsRead: report.report.files.sites.rowsRead, done: true })

    const sites = await findSiteConflicts(session, report, policy)
    const accepted = [...chosen.keys()].filter((name) => !report.rejectedCampaigns.has(name))
    for (const d of sites.duplicates) if (!report.rejectedCampaigns.has(d.name)) report.duplicate('sites', d.line, d.duplicateOf)
    await countRejectedRows(session, campaigns, report, options.reportLimit ?? 100_000)
    const acceptedStaging = new StagingWriter(session, 'import_accepted', ['name', 'line'])
    for (const name of accepted) await acceptedStaging.add([name, String(chosen.get(name)!.line)])
    await acceptedStaging.flush()
    const counts = await countValid(session, policy, { repeatedKeys: sites.repeatedKeys, rejectedCampaigns: campaigns.size > accepted.length })
    const files = report.report.files
    files.campaigns.rowsValid = accepted.length
    files.periods.rowsValid = counts.periods
    files.sites.rowsValid = counts.siteRows

    const commit = partial || report.rejectedRows === 0
    if (commit) {
      options.onProgress?.({ file: 'merge', rowsRead: 0, done: false })
      await mergeIntoFinal(session, companyId, policy)
      await session.query('commit')
    } else {
      await session.query('rollback')
    }
    open = false
    const finished = report.finish(accepted, commit)
    publishRowOutcomes(finished)
    return finished
  } finally {
    if (open) await session.query('rollback').catch(() => {})
    session.release()
  }
}

const LOCK_RETRY_FIRST_MS = 100
const LOCK_RETRY_MAX_MS = 2_000

/**
 * The import's session, in its transaction, holding the company's advisory lock: two imports into
 * one company at once would interleave their upserts, so the second waits. It waits holding no
 * connection: while another import holds the lock, the transaction is rolled back and the client
 * returned to the pool, and the lock is tried again later (waiting on the lock with a client in
 * hand let one tenant's queued imports take the whole pool from every other tenant).
 */
async function lockedSession (connection: DatabaseConnection | Kysely<Database>, target: ImportTarget): Promise<{ session: ImportSession, companyId: number }> {
  for (let wait = LOCK_RETRY_FIRST_MS; ; wait = Math.min(wait * 2, LOCK_RETRY_MAX_MS)) {
    const session = await openSession(connection)
    let locked = false
    try {
      await session.query('begin')
      // A large import runs longer than the pool's per-statement limit, which guards API requests;
      // so does waiting for the company another import is creating.
      await session.query('set local statement_timeout = 0')
      const companyId = target.companyId ?? (await findOrCreateCompanyWith(session.query, target.companyName)).id
      const { rows } = await session.query<{ locked: boolean }>('select pg_try_advisory_xact_lock(727, $1::integer) as locked', [companyId])
      locked = rows[0].locked
      if (locked) return { session, companyId }
    } finally {
      if (!locked) {
        await session.query('rollback').catch(() => {})
        session.release()
      }
    }
    await setTimeout(wait)
  }
}

/** One version per campaign: exact duplicates were dropped already; different versions are a conflict. */
function chooseVersions (campaigns: Map<string, CampaignState>, report: ReportBuilder, policy: ConflictPolicy): Map<string, CampaignVersion> {
  const chosen = new Map<string, CampaignVersion>()
  for (const [name, state] of campaigns) {
    if (state.versions.length === 0) continue
    if (state.versions.length === 1) {
      chosen.set(name, state.versions[0])
      continue
    }
    const lines = state.versions.map((v) => v.line)
    if (policy === 'reject') {
      report.conflict({ file: 'campaigns', key: name, lines, columns: differing(state.versions), resolution: 'rejected' })
      report.rejectCampaign(name, `campaign appears ${lines.length} times with different figures (campaigns lines ${lines.join(', ')})`)
      chosen.set(name, state.versions[0])
      continue
    }
    const keep = keptVersion(state.versions, policy)
    report.conflict({ file: 'campaigns', key: name, lines, columns: differing(state.versions), resolution: `kept line ${keep.line} (--on-conflict ${policy})` })
    for (const v of state.versions) if (v !== keep) report.supersede('campaigns', name)
    chosen.set(name, keep)
  }
  return chosen
}

function differing (versions: CampaignVersion[]): string[] {
  const columns: Array<[string, keyof CampaignVersion]> = [['tipo_campania', 'tipo'], ['fecha_inicio', 'fechaInicio'], ['fecha_fin', 'fechaFin'], ['impactos_personas', 'personas'], ['impactos_vehiculos', 'vehiculos']]
  const named = columns.filter(([, key]) => new Set(versions.map((v) => v[key])).size > 1).map(([column]) => column)
  return named.length > 0 ? named : ['(other columns)']
}

/** Every row of a rejected campaign is a rejected row, listed with the campaign's reason. */
async function countRejectedRows (session: Awaited<ReturnType<typeof openSession>>, campaigns: Map<string, CampaignState>, report: ReportBuilder, limit: number): Promise<void> {
  const rejected = [...report.rejectedCampaigns.keys()]
  for (const name of rejected) {
    const reason = `campaign ${name} rejected: ${report.rejectedCampaigns.get(name)![0]}`
    const state = campaigns.get(name)
    for (const file of ['campaigns', 'periods'] as const) {
      for (const line of state?.lines[file] ?? []) {
        const counted = report.countedAs(file, line)
        if (counted === 'rejected') continue
        if (counted === 'duplicate') report.undoDuplicate(file, line)
        report.reject({ file, line, campaign: name, reason })
      }
    }
  }
  // Staged site rows were all valid (a rejected row never reaches staging), so none is counted yet.
  const sites = await rejectedSiteRows(session, rejected, limit)
  for (const row of sites.rows) {
    report.reject({ file: 'sites', line: row.line, campaign: row.name, reason: `campaign ${row.name} rejected: ${report.rejectedCampaigns.get(row.name)![0]}` })
  }
  report.report.files.sites.rowsRejected += Math.max(0, sites.count - sites.rows.length)
}
