import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import type { DatabaseConnection } from '../../src/db/engine.js'
import type { Database } from '../../src/db/schema.js'
import { FILE_NAMES, importCampaignFiles, summarise, type FileKind } from '../../src/modules/imports/index.js'
import type { ImportReport } from '../../schemas/imports.js'
import { defaultOwnerCompanyId } from '../../src/modules/auth/default-owner.js'
import { loadProcessConfig, type Config } from '../../src/config.js'
import type { SeedContext } from '../../src/db/seeder.js'

// Loads the project's generated sample data (db/sample-data, the three export formats) into the
// default owner's company (by the owner's identity, never by a company name) through the importer, so the seed exercises the same repairs a customer file
// does. Re-runnable: the importer upserts by natural key.

/**
 * db/sample-data as seen from the seed module at `moduleUrl`: beside db/seeds in the sources; from
 * the compiled seed (dist/db/seeds), back in the project's db/, since the build does not copy data.
 * (Not inside db/seeds, where kysely-ctl would warn about a folder that is not a seed.)
 */
export function sampleDataDir (moduleUrl: string | URL): string {
  const candidates = [new URL('../sample-data', moduleUrl), new URL('../../../db/sample-data', moduleUrl)].map((url) => fileURLToPath(url))
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]
}

export const SAMPLE_DATA_DIR = sampleDataDir(import.meta.url)

export async function seedSampleCampaigns (target: DatabaseConnection | Kysely<Database>, options: { companyId: number, dir?: string }): Promise<ImportReport | undefined> {
  const dir = options.dir ?? SAMPLE_DATA_DIR
  const files = Object.fromEntries(Object.entries(FILE_NAMES).map(([kind, name]) => [kind, `${dir}/${name}`])) as Record<FileKind, string>
  if (!Object.values(files).every((file) => existsSync(file))) {
    console.warn(`Sample campaigns not seeded: ${dir} does not hold ${Object.values(FILE_NAMES).join(', ')} (write them with npm run generate:seed-data, which runs scripts/generate-sample-data.ts).`)
    return undefined
  }
  // The sample data carries every defect class on purpose, including a conflict: keep the last
  // version and store the valid campaigns, as the report explains.
  return importCampaignFiles(target, { companyId: options.companyId, files, partial: true, conflictPolicy: 'last' })
}

/**
 * The seed's one line: what loaded, and that the warnings are the sample data's deliberate defects
 * (they read like failures otherwise), with where the full report is.
 */
export function seedSummaryLine (report: ImportReport, reportFile?: string): string {
  const where = reportFile ? `the import report is in ${reportFile}` : 'details at LOG_LEVEL=debug'
  return `Sample campaigns: ${report.campaigns.accepted.length} loaded from db/sample-data, which carries deliberate defects ` +
    `(${report.repairs.length} cells repaired, ${report.conflicts.length} conflicts and ${report.warnings.length} warnings, all expected); ${where}.`
}

export async function seed (db: Kysely<any>, context: SeedContext = { log: console }, config: Pick<Config, 'isProduction' | 'ADMIN_EMAIL'> = loadProcessConfig()): Promise<void> {
  // Demo data has no place in a customer's tenant: production seeds the owner only.
  if (config.isProduction) {
    context.log.info('Sample campaigns not seeded: ENV=production. To load them anyway (a demo): npm run import -- --company-id <the company\'s id> --dir db/sample-data --partial --on-conflict last')
    return
  }
  const companyId = await defaultOwnerCompanyId(db as Kysely<Database>, config)
  if (companyId === undefined) {
    context.log.info('Sample campaigns not seeded: the default owner (ADMIN_EMAIL) does not exist; its seed (01_default_owner) creates it.')
    return
  }
  const report = await seedSampleCampaigns(db as Kysely<Database>, { companyId })
  if (!report) return
  // From the command line (kysely-ctl: no context) the whole summary is the answer; at start-up it is detail.
  if (context.log === console) {
    console.log(summarise(report))
    return
  }
  let reportFile: string | undefined
  if (context.reportDir) {
    reportFile = path.join(context.reportDir, 'sample-data-report.json')
    await mkdir(context.reportDir, { recursive: true })
    await writeFile(reportFile, JSON.stringify(report, null, 2))
  }
  context.log.debug(summarise(report))
  context.log.info(seedSummaryLine(report, reportFile && path.relative(process.cwd(), reportFile)))
}
