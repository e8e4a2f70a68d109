// The deployment's cron job: deletes refresh tokens of dead families (see README "Refresh-token cleanup").
// First: on a Node.js older than the supported range, the first line said is which one is needed.
import '../node-version.js'
import { integerOption, readCommandLine } from './command-line.js'
import { withDatabase } from './with-database.js'
import { cleanupRefreshTokens } from '../modules/auth/cleanup.js'

const HELP = `Usage: npm run tokens:cleanup -- [--dry-run] [--older-than-days N] [--batch-size N]

Deletes refresh tokens whose family expired or was revoked more than N days ago
(rotated tokens of live families are kept: reuse detection needs them), in
batches, on DATABASE_URL (or the embedded PGlite directory when it is unset).
Safe when two copies run at once: the second one finds the lock held and stops.

  --dry-run              count what would be deleted, delete nothing
  --older-than-days N    grace period after expiry or revocation (default 7)
  --batch-size N         tokens deleted per statement (default 1000)
  --help                 show this text

Exit status: 0 done (or another copy holds the lock), 1 failure, 2 bad arguments.`

const values = readCommandLine({
  'dry-run': { type: 'boolean' },
  'older-than-days': { type: 'string' },
  'batch-size': { type: 'string' }
}, HELP, 2)
const olderThanDays = integerOption('--older-than-days', values['older-than-days'] ?? '7', 0, 2)
const batchSize = integerOption('--batch-size', values['batch-size'] ?? '1000', 1, 2)
const dryRun = values['dry-run'] === true

await withDatabase(async (connection) => {
  const started = Date.now()
  const onBatch = process.stdout.isTTY ? (deleted: number) => process.stdout.write(`\r${deleted} tokens deleted…`) : undefined
  const result = await cleanupRefreshTokens(connection.db, { olderThanDays, dryRun, batchSize, onBatch })
  if (onBatch) process.stdout.write('\n')
  if (!result.locked) console.log('Another cleanup is running (advisory lock held): nothing done.')
  else if (result.dryRun) console.log(`Dry run: ${result.tokens} tokens in ${result.families} families dead for more than ${olderThanDays} days would be deleted.`)
  else console.log(`Deleted ${result.tokens} tokens of ${result.families} families dead for more than ${olderThanDays} days, in ${result.batches} batches, in ${Date.now() - started} ms.`)
}, {
  what: 'Cleanup',
  nextStep: 'Nothing is left half-done (each batch is its own statement); fix the cause and run it again.'
})
