// Child process of scripts/bench-api.ts: serves the ceiling, or the app through tsx (--tsx), and prints {port} once listening.
import http from 'node:http'
import { type AddressInfo } from 'node:net'
import { Kysely, PostgresDialect } from 'kysely'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createServerPool } from '../src/db/engine.js'
import type { Database } from '../src/db/schema.js'
import { listSegments, segmentQuery } from '../src/modules/campaigns/list-repository.js'
import { appEnv } from './bench-data.js'

const mode = process.argv[2]
const config = loadConfig({ DATABASE_URL: process.env.BENCH_DATABASE_URL, ...appEnv() })
const companyId = Number(process.env.BENCH_COMPANY_ID)

if (mode === 'app') {
  const app = await buildApp(config)
  await app.listen({ port: 0, host: '127.0.0.1' })
  console.log(JSON.stringify({ port: (app.server.address() as AddressInfo).port }))
} else {
  const pool = createServerPool(config)
  // The ceiling: the same first-page SQL the app runs, through a pg Pool of the same size, no framework.
  // The bare ceiling (mode "bare"): the plainest page a table can give, 20 rows with no counts.
  const [text, values, answer] = mode === 'bare'
    ? ['SELECT * FROM campaigns WHERE company_id = $1 ORDER BY name, id LIMIT 20', [companyId], (rows: unknown[]) => JSON.stringify(rows)]
    : (() => {
        const compiled = segmentQuery(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), companyId, {}, listSegments('name')[0], 6).compile()
        return [compiled.sql, [...compiled.parameters] as unknown[], (rows: unknown[]) => JSON.stringify({ data: rows.slice(0, 5), page_size: 5, next_cursor: rows.length > 5 ? 'x' : null })] as const
      })()
  const server = http.createServer((_req, res) => {
    pool.query(text, values).then(({ rows }) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      res.end(answer(rows))
    }, () => { res.writeHead(500).end() })
  })
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })))
}
