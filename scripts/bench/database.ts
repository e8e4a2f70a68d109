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
  const admin = await connectOrExit(`${server}/postgres`, 'start it, or pass --database-url')
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

/** A client of the server the benchmark needs; when it does not answer, says so and what to do, and exits 1. */
export async function connectOrExit (url: string, nextStep: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
    return client
  } catch (error) {
    const where = new URL(url)
    console.error(`Cannot reach PostgreSQL at ${where.host} (${(error as Error).message}): ${nextStep}.`)
    process.exit(1)
  }
}
