// Fills a fresh database for scripts/bench-api.ts with generate_series, in chunks so progress shows.
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { createSigner } from 'fast-jwt'
import { sql, type Kysely } from 'kysely'
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/plugins/authentication.js'
import type { Database } from '../src/db/schema.js'
import { connectDatabase } from '../src/db/engine.js'
import { migrateToLatest } from '../src/db/migrator.js'
import { deriveCursorKey, encodeCursor, filtersHash } from '../src/modules/campaigns/cursor.js'

export const BENCH_SECRET = 'bench-secret-key-that-is-long-enough-0123456789abcdef'
const CHUNK = 100_000
const SITES = 5000

export async function generate (databaseUrl: string, campaigns: number, log: (message: string) => void) {
  const connection = await connectDatabase({ DATABASE_URL: databaseUrl, TESTING: false, PGLITE_DATA_DIR: '', DB_POOL_MAX: 2, DB_CONNECTION_TIMEOUT_MS: 5000, DB_STATEMENT_TIMEOUT_MS: 0 })
  const db = connection.db
  try {
    await migrateToLatest(db)
    const { id: companyId } = await db.insertInto('companies').values({ name: 'bench' }).returning('id').executeTakeFirstOrThrow()
    await sql`
      insert into sites (company_id, codigo_del_sitio, tipo_de_mueble, tipo_de_anuncio, estado, municipio, zm, disponible)
      select ${companyId}, 'S' || lpad(g::text, 5, '0'), (array['Espectacular', 'Muro', 'Parabús', 'Puente'])[1 + g % 4],
        (array['Digital', 'Fijo'])[1 + g % 2], 'Estado ' || (g % 10), 'Municipio ' || (g % 50), 'ZM ' || (g % 10), g % 3 <> 0
      from generate_series(1, ${SITES}) as g`.execute(db)
    const { min: firstSite } = await db.selectFrom('sites').select((eb) => eb.fn.min<number>('id').as('min')).executeTakeFirstOrThrow()
    for (let from = 1; from <= campaigns; from += CHUNK) {
      const to = Math.min(campaigns, from + CHUNK - 1)
      await sql`
        insert into campaigns (company_id, name, tipo_campania, fecha_inicio, fecha_fin, periods, sites, universo_zona_metro,
          impactos_personas, impactos_vehiculos, frecuencia_calculada, frecuencia_promedio, alcance,
          nse_ab, nse_cmas, nse_c, nse_dmas, nse_d, nse_e, hombres, mujeres, hourly_vehicle_count)
        select ${companyId}, 'Campaña ' || lpad(g::text, 7, '0'), case when g % 3 = 0 then 'mensual' else 'catorcenal' end,
          date '2024-01-01' + (g % 700), date '2024-01-01' + (g % 700) + 41, array['2025-01', '2025-02', '2025-03'], 5, 21800000,
          (g::bigint * 7919) % 5000000, (g::bigint * 104729) % 2000000, 3.2, 2.9, case when g % 17 = 0 then null else (g::bigint * 31) % 1500000 end,
          0.1, 0.15, 0.25, 0.25, 0.15, 0.1, 0.48, 0.52, array_fill((g % 500), array[24])
        from generate_series(${from}::int, ${to}::int) as g`.execute(db)
      log(`campaigns ${to}/${campaigns}`)
    }
    const { min: lo, max: hi } = await db.selectFrom('campaigns').select((eb) => [eb.fn.min<number>('id').as('min'), eb.fn.max<number>('id').as('max')]).executeTakeFirstOrThrow()
    for (let from = lo; from <= hi; from += CHUNK) {
      const to = Math.min(hi, from + CHUNK - 1)
      await sql`
        insert into campaign_periods (company_id, campaign_id, period, impactos_periodo_personas, impactos_periodo_vehiculos)
        select c.company_id, c.id, p.code, c.impactos_personas / 3, c.impactos_vehiculos / 3
        from campaigns c cross join unnest(c.periods) as p(code) where c.id between ${from} and ${to}`.execute(db)
      await sql`
        insert into campaign_site_periods (company_id, campaign_id, site_id, id_fourteen, mes, impactos_catorcenal, impactos_mensuales,
          frecuencia_catorcenal, alcance_vehiculos_catorcenal)
        select c.company_id, c.id, ${firstSite}::bigint + (c.id * 5 + k) % ${SITES}, p.code, p.code,
          (c.id * 13 + k * 7) % 100000, (c.id * 29 + k) % 200000, 2.5, ((c.id * 3 + k) % 9000)::float8
        from campaigns c cross join generate_series(0, 4) as k cross join unnest(c.periods) as p(code)
        where c.id between ${from} and ${to}`.execute(db)
      log(`periods and site facts up to campaign id ${to}/${hi}`)
    }
    await sql`vacuum analyze`.execute(db)
    log('vacuum analyze done')
    return await describe(db)
  } finally {
    await connection.close()
  }
}

/** What the benchmark requests from an already filled database (a fresh one, or one kept with --keep). */
export async function describeDatabase (databaseUrl: string) {
  const connection = await connectDatabase({ DATABASE_URL: databaseUrl, TESTING: false, PGLITE_DATA_DIR: '', DB_POOL_MAX: 1, DB_CONNECTION_TIMEOUT_MS: 5000, DB_STATEMENT_TIMEOUT_MS: 0 })
  try {
    return await describe(connection.db)
  } finally {
    await connection.close()
  }
}

async function describe (db: Kysely<Database>) {
  const { min: lo, max: hi } = await db.selectFrom('campaigns').select((eb) => [eb.fn.min<number>('id').as('min'), eb.fn.max<number>('id').as('max')]).executeTakeFirstOrThrow()
  const { id: companyId } = await db.selectFrom('companies').select('id').where('name', '=', 'bench').executeTakeFirstOrThrow()
  const middle = await db.selectFrom('campaigns').select('name').where('id', '=', Math.floor((lo + hi) / 2)).executeTakeFirstOrThrow()
  // The row after which exactly one default page (5 rows) remains in name order.
  const sixthLast = await db.selectFrom('campaigns').select(['name', 'id']).orderBy('name', 'desc').offset(5).limit(1).executeTakeFirstOrThrow()
  const { rows: [{ server_version: serverVersion }] } = await sql<{ server_version: string }>`show server_version`.execute(db)
  const key = deriveCursorKey(BENCH_SECRET)
  // The list filtered by a zone or a state, at its last page (5 rows left), as a client paging there holds it.
  const lastFilteredCursor = async (column: 'zms' | 'estados', value: string) => {
    const row = await db.selectFrom('campaigns').select(['name', 'id']).where('company_id', '=', companyId)
      .where(sql<boolean>`${sql.ref(column)} @> array[${value}]::text[]`).orderBy('name', 'desc').orderBy('id', 'desc').offset(5).limit(1).executeTakeFirstOrThrow()
    const filters = column === 'zms' ? { zm: value } : { estado: value }
    return encodeCursor(key, 'name', filtersHash(companyId, 'name', filters), { key: row.name, id: row.id })
  }
  return {
    serverVersion,
    detailName: middle.name,
    companyId,
    campaigns: Number((await db.selectFrom('campaigns').select((eb) => eb.fn.countAll<string>().as('n')).where('company_id', '=', companyId).executeTakeFirstOrThrow()).n),
    lastPageCursor: encodeCursor(key, 'name', filtersHash(companyId, 'name', {}), { key: sixthLast.name, id: sixthLast.id }),
    zone: BENCH_ZONE,
    state: BENCH_STATE,
    lastZonePageCursor: await lastFilteredCursor('zms', BENCH_ZONE),
    lastStatePageCursor: await lastFilteredCursor('estados', BENCH_STATE)
  }
}

// One of the ten zones and states the generated sites are spread over (each campaign's five sites span five of them).
const BENCH_ZONE = 'ZM 3'
const BENCH_STATE = 'Estado 7'

/** The app's settings in every benchmark run, compiled or through tsx. */
export function appEnv (): Record<string, string> {
  // One tenant here: its heavy-read share (the overview, summaries) is the whole pool, so the
  // benchmark measures what those routes cost rather than the per-company limit's 429s.
  return { SECRET_KEY: BENCH_SECRET, LOG_LEVEL: 'warn', DB_POOL_MAX: '10', ACCESS_TOKEN_EXPIRE_MINUTES: '120', HEAVY_CONCURRENCY_PER_COMPANY: '10', HEAVY_QUEUE_PER_COMPANY: '1000' }
}

/** A bench user of the company and an access token for it, signed as src/plugins/authentication.ts signs them. */
export async function benchToken (databaseUrl: string, companyId: number): Promise<string> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  try {
    const { rows: [{ id }] } = await pool.query<{ id: number }>(
      "insert into users (company_id, email, password_hash, role) values ($1, $2, 'x', 'owner') returning id", [companyId, `bench-${Date.now()}@example.com`])
    const sign = createSigner({ key: BENCH_SECRET, algorithm: 'HS256', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, expiresIn: 2 * 3600_000, jti: randomUUID() })
    return sign({ sub: String(id), cid: companyId, role: 'owner', token_use: 'access' })
  } finally {
    await pool.end()
  }
}
