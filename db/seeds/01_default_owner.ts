import type { Kysely } from 'kysely'
import { loadProcessConfig } from '../../src/config.js'
import { ensureDefaultOwner } from '../../src/modules/auth/default-owner.js'
import type { SeedContext } from '../../src/db/seeder.js'

// Idempotent (kysely-ctl does not record seeds): an existing ADMIN_EMAIL user is left as it is.
export async function seed (db: Kysely<any>, context: SeedContext = { log: console }): Promise<void> {
  await ensureDefaultOwner(db, loadProcessConfig(), context.log)
}
