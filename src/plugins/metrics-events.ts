import diagnosticsChannel from 'node:diagnostics_channel'
import type { AppMetrics, CacheLookupResult, ImportRowOutcome, LoginOutcome } from './metrics-registry.js'

/**
 * Features may publish on these diagnostics channels instead of importing the metrics plugin
 * (the auth module does: src/modules/auth/events.ts). Subscribing by name keeps both sides
 * decoupled; a channel nobody publishes on costs nothing.
 */
export const METRIC_CHANNELS = {
  login: 'campaign-analytics:auth:login',
  refreshReuse: 'campaign-analytics:auth:refresh-reuse',
  rateLimited: 'campaign-analytics:auth:rate-limited',
  importRows: 'campaign-analytics:import:rows',
  overviewCache: 'campaign-analytics:analytics:overview-cache'
} as const

type Handlers = { [K in keyof typeof METRIC_CHANNELS]: (message: unknown) => void }

/** Subscribes the counters to the channels; returns the unsubscribe for the app's onClose (tests build many apps). */
export function subscribeMetricChannels (metrics: AppMetrics): () => void {
  const handlers: Handlers = {
    login: (m) => metrics.loginAttempts.inc({ outcome: (m as { outcome: LoginOutcome }).outcome }),
    refreshReuse: () => metrics.refreshTokenReuse.inc(),
    rateLimited: (m) => {
      const { route, scope } = m as { route: string, scope: 'ip' | 'account' }
      metrics.rateLimitRejections.inc({ route, scope })
    },
    importRows: (m) => {
      const { outcome, count } = m as { outcome: ImportRowOutcome, count?: number }
      metrics.importRows.inc({ outcome }, count ?? 1)
    },
    overviewCache: (m) => metrics.overviewCacheLookups.inc({ result: (m as { result: CacheLookupResult }).result })
  }
  const entries = Object.entries(handlers) as Array<[keyof Handlers, (message: unknown) => void]>
  for (const [key, handler] of entries) diagnosticsChannel.subscribe(METRIC_CHANNELS[key], handler)
  return () => {
    for (const [key, handler] of entries) diagnosticsChannel.unsubscribe(METRIC_CHANNELS[key], handler)
  }
}
