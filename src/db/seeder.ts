import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Kysely } from 'kysely'

/** db/seeds, both from src/db (tsx) and from dist/src/db (compiled), like the migrations folder. */
export const SEEDS_FOLDER = fileURLToPath(new URL('../../db/seeds', import.meta.url))

const SEED_FILE = /^[^.].*(?<!\.d)\.(js|mjs|ts|mts)$/

/** Where a seed says what it did: `info` one short line, `debug` the details. */
export type SeedLog = { info: (message: string) => void, debug: (message: string) => void }

/**
 * What the app's start-up gives each seed as its second argument; kysely-ctl passes none, and the
 * seeds then print everything to the console. `reportDir`: where a seed may leave a report file.
 */
export type SeedContext = { log: SeedLog, reportDir?: string }

/**
 * Runs every seed file (kysely-ctl's format: `export async function seed(db)`) in name order, as
 * `kysely seed:run` does, without kysely-ctl: the production image has no dev dependencies.
 * Seeds are not recorded as run, so each must be idempotent.
 */
export async function runSeeds (db: Kysely<any>, folder = SEEDS_FOLDER, context?: SeedContext): Promise<string[]> {
  const files = (await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[]
    throw error
  })).filter((f) => SEED_FILE.test(f)).sort()
  const ran: string[] = []
  for (const file of files) {
    const module = await import(pathToFileURL(path.join(folder, file)).href) as { seed?: (db: Kysely<any>, context?: SeedContext) => Promise<void> }
    if (typeof module.seed !== 'function') throw new Error(`${file} does not export a seed(db) function`)
    await module.seed(db, context)
    ran.push(file.replace(/\.[^.]+$/, ''))
  }
  return ran
}
