import diagnosticsChannel from 'node:diagnostics_channel'
import type { ImportReport } from '../../../schemas/imports.js'
import { METRIC_CHANNELS } from '../../plugins/metrics-events.js'

const channel = diagnosticsChannel.channel(METRIC_CHANNELS.importRows)

/** Publishes the run's rows by outcome for the metrics plugin (import_rows_total); costs nothing without a subscriber. */
export function publishRowOutcomes (report: ImportReport): void {
  if (!channel.hasSubscribers) return
  const files = Object.values(report.files)
  const sum = (pick: (f: typeof files[number]) => number) => files.reduce((total, file) => total + pick(file), 0)
  const counts = { loaded: sum((f) => f.rowsLoaded), repaired: sum((f) => f.rowsRepaired), duplicate: sum((f) => f.duplicates), rejected: sum((f) => f.rowsRejected) }
  for (const [outcome, count] of Object.entries(counts)) if (count > 0) channel.publish({ outcome, count })
}
