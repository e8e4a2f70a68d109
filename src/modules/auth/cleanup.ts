import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema.js'
import * as tokens from './refresh-repository.js'

export type CleanupOptions = { olderThanDays: number, dryRun: boolean, batchSize: number, onBatch?: (deletedSoFar: number) => void }
export type CleanupResult = { locked: false } | { locked: true, dryRun: boolean, tokens: number, families: number, batches: number }

/**
 * Deletes refresh tokens of families that expired or were revoked more than `olderThanDays` ago.
 * Rotated tokens of a live family stay: reuse detection needs them. Holds a session advisory lock
 * on one connection, so a second copy running at the same time does nothing.
 */
export async function cleanupRefreshTokens (db: Kysely<Database>, options: CleanupOptions): Promise<CleanupResult> {
  return db.connection().execute(async (connection) => {
    if (!await tokens.tryCleanupLock(connection)) return { locked: false }
    try {
      const found = await tokens.countDeadTokens(connection, options.olderThanDays)
      if (options.dryRun) return { locked: true, dryRun: true, ...found, batches: 0 }
      let deleted = 0
      let batches = 0
      for (;;) {
        const count = await tokens.deleteDeadTokensBatch(connection, options.olderThanDays, options.batchSize)
        if (count === 0) break
        deleted += count
        batches++
        options.onBatch?.(deleted)
      }
      return { locked: true, dryRun: false, tokens: deleted, families: found.families, batches }
    } finally {
      await tokens.releaseCleanupLock(connection)
    }
  })
}
