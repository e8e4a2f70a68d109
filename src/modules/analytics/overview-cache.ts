import diagnosticsChannel from 'node:diagnostics_channel'
import { LRUCache } from 'lru-cache'
import type { Kysely } from 'kysely'
import type { OverviewType } from '../../../schemas/analytics.js'
import type { CampaignFilters } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'
import { pickFilters } from '../campaigns/service.js'
import { METRIC_CHANNELS } from '../../plugins/metrics-events.js'

const lookups = diagnosticsChannel.channel(METRIC_CHANNELS.overviewCache)

type Compute = () => Promise<OverviewType>

/** Answers the overview for a company and filters, calling `compute` only when no answer at the company's current data is kept. */
export type CachedOverview = (companyId: number, query: CampaignFilters, compute: Compute) => Promise<OverviewType>

// A kept answer's size, roughly (JSON bytes): it grows with its rows.
const ROW_BYTES = 160
const BASE_BYTES = 512
const estimatedBytes = (o: OverviewType) => BASE_BYTES + ROW_BYTES * (o.by_tipo.length + o.by_month.length + o.by_zm.length)

/**
 * The overview's answers, kept in this process per company, filters and data version
 * (db/migrations/0008_company_data_versions.ts: a new one in the transaction of every write to the
 * company's campaigns). A request reads the version (one primary-key lookup) and reuses the answer
 * computed at it, so a write is seen by the next request, on every instance. Concurrent requests
 * for the same answer share one computation. At most `maxBytes` are kept, least recently used
 * first out, and one answer at most a sixteenth of them; 0 keeps nothing.
 */
export function createOverviewCache (db: Kysely<Database>, maxBytes: number): CachedOverview {
  if (maxBytes === 0) {
    return (_companyId, _query, compute) => {
      if (lookups.hasSubscribers) lookups.publish({ result: 'miss' })
      return compute()
    }
  }
  const answers = new LRUCache<string, OverviewType, Compute>({
    maxSize: maxBytes,
    maxEntrySize: Math.max(1, Math.floor(maxBytes / 16)),
    sizeCalculation: estimatedBytes,
    fetchMethod: (_key, _stale, { context: compute }) => compute(),
    // An answer pushed out while it is being computed is still the answer of the requests waiting for it.
    ignoreFetchAbort: true
  })
  return async (companyId, query, compute) => {
    // Invalid filters are refused before any read.
    const filters = pickFilters(query)
    const row = await db.selectFrom('company_data_versions').select('version').where('company_id', '=', companyId).executeTakeFirst()
    const status: LRUCache.Status<string, OverviewType, Compute> = {}
    const answer = await answers.forceFetch(JSON.stringify([companyId, row?.version ?? null, filters]), { context: compute, status })
    // For overview_cache_lookups_total; a request that joined another's computation counts as a miss.
    if (lookups.hasSubscribers) lookups.publish({ result: status.fetch === 'hit' ? 'hit' : 'miss' })
    return answer
  }
}
