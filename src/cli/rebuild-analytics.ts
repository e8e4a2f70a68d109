// Maintenance: recomputes the maintained analytics figures from the base tables and fixes any that differ.
// First: on a Node.js older than the supported range, the first line said is which one is needed.
import '../node-version.js'
import { integerOption, readCommandLine } from './command-line.js'
import { withDatabase } from './with-database.js'
import { findDrift, rebuildFigures, type Drift } from '../modules/analytics/figures-check.js'
import { findFlightDrift, findTypeCountDrift, rebuildFlights, rebuildTypeCounts } from '../modules/analytics/flights-check.js'
import { findZoneDrift, rebuildZones } from '../modules/analytics/zones-check.js'

const HELP = `Usage: npm run analytics:rebuild -- [--company-id N] [--dry-run]

Recomputes, from scratch, the figures the database maintains on each campaign
(sites_count, periods_count, its metro zones and states: the list's counts and
its zm and estado filters, its sites' zones and impacts) from the facts,
periods and sites, the overview's totals per flight and the number of campaigns
per type (the v1 list's total) from the campaigns, the overview's by_zm figures
per site and zone from the facts, and stores those that differ. Run it after an upgrade or a restore; on a healthy database it
finds nothing. Writes to the facts wait while it runs (reads go on). Works on
DATABASE_URL (or the embedded PGlite directory when it is unset).

  --company-id N   only this company's campaigns
  --dry-run        report the differences, change nothing
  --help           show this text

Prints one line per corrected campaign, then a summary.
Exit status: 0 done, 1 failure, 2 bad arguments.`

const values = readCommandLine({ 'company-id': { type: 'string' }, 'dry-run': { type: 'boolean' } }, HELP, 2)
const companyId = values['company-id'] === undefined ? null : integerOption('--company-id', values['company-id'], 1, 2)
const dryRun = values['dry-run'] === true

const describe = ({ stored, recomputed }: Drift) => Object.keys(recomputed)
  .filter((key) => JSON.stringify(stored[key as keyof typeof stored]) !== JSON.stringify(recomputed[key as keyof typeof recomputed]))
  .map((key) => `${key} ${JSON.stringify(stored[key as keyof typeof stored])} -> ${JSON.stringify(recomputed[key as keyof typeof recomputed])}`)
  .join(', ')

await withDatabase(async (connection) => {
  const started = Date.now()
  const drift = dryRun ? await findDrift(connection.db, companyId) : await rebuildFigures(connection.db, companyId)
  for (const d of drift) console.log(`${dryRun ? 'differs' : 'corrected'}: company ${d.company_id} campaign ${JSON.stringify(d.name)}: ${describe(d)}`)
  const scope = companyId === null ? 'every company' : `company ${companyId}`
  const flights = dryRun ? await findFlightDrift(connection.db, companyId) : await rebuildFlights(connection.db, companyId)
  for (const f of flights) console.log(`${dryRun ? 'differs' : 'corrected'}: company ${f.company_id} flight ${f.tipo_campania} ${f.fecha_inicio}..${f.fecha_fin}: ${JSON.stringify(f.stored)} -> ${JSON.stringify(f.recomputed)}`)
  console.log(flights.length === 0 ? `Overview flight totals of ${scope} match their campaigns.` : `${flights.length} flight total(s) of ${scope} ${dryRun ? 'differ (dry run: nothing changed)' : 'corrected'}.`)
  const types = dryRun ? await findTypeCountDrift(connection.db, companyId) : await rebuildTypeCounts(connection.db, companyId)
  for (const c of types) console.log(`${dryRun ? 'differs' : 'corrected'}: company ${c.company_id} campaigns of type ${c.tipo_campania}: ${c.stored} -> ${c.recomputed}`)
  console.log(types.length === 0 ? `Campaign counts per type of ${scope} match their campaigns.` : `${types.length} campaign count(s) per type of ${scope} ${dryRun ? 'differ (dry run: nothing changed)' : 'corrected'}.`)
  const zones = dryRun ? await findZoneDrift(connection.db, companyId) : await rebuildZones(connection.db, companyId)
  for (const z of zones) console.log(`${dryRun ? 'differs' : 'corrected'}: ${z.table} ${JSON.stringify(z.key)}: ${JSON.stringify(z.stored)} -> ${JSON.stringify(z.recomputed)}`)
  console.log(zones.length === 0 ? `Overview zone figures of ${scope} match their facts.` : `${zones.length} zone figure(s) of ${scope} ${dryRun ? 'differ (dry run: nothing changed)' : 'corrected'}.`)
  if (drift.length === 0) console.log(`Campaign figures of ${scope} match a full recomputation: nothing to correct (${Date.now() - started} ms).`)
  else console.log(`${drift.length} campaign(s) of ${scope} ${dryRun ? 'differ from a full recomputation (dry run: nothing changed)' : 'corrected from a full recomputation'} (${Date.now() - started} ms).`)
}, {
  what: 'Rebuild',
  nextStep: 'Nothing was changed (the rebuild is one transaction); fix the cause and run it again.'
})
