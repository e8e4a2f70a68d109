import { defineConfig } from 'kysely-ctl'
import { loadProcessConfig } from './src/config.js'
import { connectDatabase } from './src/db/engine.js'

// The CLI connects exactly as the app does (DATABASE_URL, or the embedded PGlite directory, which
// it refuses to open while a running server holds it).
export default defineConfig({
  kysely: async () => (await connectDatabase(loadProcessConfig())).db,
  migrations: { migrationFolder: 'db/migrations' },
  seeds: { seedFolder: 'db/seeds' }
})
