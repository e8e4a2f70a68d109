import t from 'tap'
import { createServerPool } from '../../src/db/engine.js'
import { DATABASE_DEFAULTS } from '../support/database.js'
import { NEEDS_SERVER } from '../support/fresh-database.js'

t.test('a server connection starts with the API\'s settings: statement timeout, name, no JIT', { skip: NEEDS_SERVER }, async (t) => {
  const pool = createServerPool({ ...DATABASE_DEFAULTS, DB_STATEMENT_TIMEOUT_MS: 4321 })
  t.teardown(() => pool.end())
  const { rows: [settings] } = await pool.query("select current_setting('jit') as jit, current_setting('statement_timeout') as statement_timeout, current_setting('application_name') as application_name")
  // JIT compiled short statements the planner merely estimated as large for 200-400 ms each (v1's deepest page at 1,000,000 campaigns).
  t.same(settings, { jit: 'off', statement_timeout: '4321ms', application_name: 'campaign-analytics-api' })
})
