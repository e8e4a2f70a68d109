import pg from 'pg'

/**
 * A throwaway database for the benchmark: the one the caller names, or a fresh one created on the
 * local server and dropped afterwards. Only a database this script created is ever dropped.
 */
export type BenchDatabase = { url: string, created: boolean, drop: () => Promise<void> }

export async function openBenchDatabase (url: string | undefined): Promise<BenchDatabase> {
  if (url) return { url, created: false, drop: async () => {} }
  const server = 'postgres://postgres@127.0.0.1:5432'
  const name = `bench_import_${Date.now()}_${process.pid}`
  const admin = new pg.Client({ connectionString: `${server}/postgres` })
  try {
    await admin.connect()
  } catch (error) {
    throw new Error(`cannot reach PostgreSQL at ${server} (${(error as Error).message}); start it or pass --database-url`)
  }
  await admin.query(`create database ${name}`)
  await admin.end()
  return {
    url: `${server}/${name}`,
    created: true,
    drop: async () => {
      const client = new pg.Client({ connectionString: `${server}/postgres` })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    }
  }
}
