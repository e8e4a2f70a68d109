import { defineConfig } from 'kysely-ctl'
import { connectForKyselyCtl } from './src/cli/with-database.js'

// The CLI connects exactly as the app does (DATABASE_URL, or the embedded PGlite directory, which
// it refuses to open while a running server holds it).
export default defineConfig({
  kysely: async () => (await connectForKyselyCtl(process.argv.some((arg) => arg.startsWith('seed')) ? 'seed' : 'migrate')).db,
  migrations: { migrationFolder: 'db/migrations' },
  seeds: { seedFolder: 'db/seeds' }
})
