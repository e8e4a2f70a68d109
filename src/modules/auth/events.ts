import diagnosticsChannel from 'node:diagnostics_channel'

/**
 * Hooks for metrics, decoupled from any metrics library: the metrics plugin subscribes, e.g.
 * `AUTH_EVENTS.login.subscribe((m) => counter.inc({ outcome: (m as LoginEvent).outcome }))`.
 * Messages never carry an email, token or password.
 */
export const AUTH_EVENTS = {
  /** Every login attempt that reached the password check (or the per-account limit). */
  login: diagnosticsChannel.channel('campaign-analytics:auth:login'),
  /** A rotated refresh token was presented again: its family was revoked. */
  refreshReuse: diagnosticsChannel.channel('campaign-analytics:auth:refresh-reuse'),
  /** A request refused with 429 (per-IP limit or per-account failed-login limit). */
  rateLimited: diagnosticsChannel.channel('campaign-analytics:auth:rate-limited')
}

export type LoginEvent = { outcome: 'success' | 'failure' | 'locked' }
export type RefreshReuseEvent = { userId: number, familyId: string }
export type RateLimitedEvent = { route: string, scope: 'ip' | 'account' }

export const publishLogin = (event: LoginEvent) => AUTH_EVENTS.login.publish(event)
export const publishRefreshReuse = (event: RefreshReuseEvent) => AUTH_EVENTS.refreshReuse.publish(event)
export const publishRateLimited = (event: RateLimitedEvent) => AUTH_EVENTS.rateLimited.publish(event)
