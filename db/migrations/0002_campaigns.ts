import { sql, type Kysely } from 'kysely'

// Every tenant-owned table carries company_id and leads its primary, unique and foreign keys with
// it, so the tables can later be distributed by company_id (Citus) without a schema change.

const SHARE = (column: string) => sql`${sql.ref(column)} between 0 and 1`
const NON_NEGATIVE = (column: string) => sql`${sql.ref(column)} >= 0`

const CAMPAIGN_SHARES = [
  'nse_ab', 'nse_cmas', 'nse_c', 'nse_dmas', 'nse_d', 'nse_e',
  'edad_0a14', 'edad_15a19', 'edad_20a24', 'edad_25a34', 'edad_35a44', 'edad_45a64', 'edad_65mas',
  'hombres', 'mujeres'
]
const SITE_SHARES = [
  'nivel_socioeconomico_ab', 'nivel_socioeconomico_c_mas', 'nivel_socioeconomico_c', 'nivel_socioeconomico_d',
  'nivel_socioeconomico_e', 'nivel_socioeconomico_d_mas',
  'cero_catorce', 'quince_diecinueve', 'veinte_veinticuatro', 'veinticinco_treintaycuatro',
  'treintaycinco_cuarentaycuatro', 'cuarentaycinco_sesentaycuatro', 'sesentaycinco_mas',
  'per_muj', 'per_hom'
]

export async function up (db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db)

  let campaigns = db.schema.createTable('campaigns')
    .addColumn('company_id', 'bigint', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('id', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('sites', 'integer', (c) => c.check(NON_NEGATIVE('sites')))
    .addColumn('periods', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('tipo_campania', 'text', (c) => c.notNull().check(sql`tipo_campania in ('mensual', 'catorcenal')`))
    .addColumn('fecha_inicio', 'date', (c) => c.notNull())
    .addColumn('fecha_fin', 'date', (c) => c.notNull())
    .addColumn('universo_zona_metro', 'bigint', (c) => c.check(NON_NEGATIVE('universo_zona_metro')))
    .addColumn('impactos_personas', 'bigint', (c) => c.check(NON_NEGATIVE('impactos_personas')))
    .addColumn('impactos_vehiculos', 'bigint', (c) => c.check(NON_NEGATIVE('impactos_vehiculos')))
    .addColumn('frecuencia_calculada', 'double precision', (c) => c.check(NON_NEGATIVE('frecuencia_calculada')))
    .addColumn('frecuencia_promedio', 'double precision', (c) => c.check(NON_NEGATIVE('frecuencia_promedio')))
    .addColumn('alcance', 'bigint', (c) => c.check(NON_NEGATIVE('alcance')))
  for (const share of CAMPAIGN_SHARES) campaigns = campaigns.addColumn(share, 'double precision', (c) => c.check(SHARE(share)))
  await campaigns
    // The 24-point traffic profile (hourly_vehicle_count_00..23 in the export), hour 0 first.
    .addColumn('hourly_vehicle_count', sql`integer[]`, (c) => c.check(sql`hourly_vehicle_count is null or (cardinality(hourly_vehicle_count) = 24 and 0 <= all(hourly_vehicle_count))`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('campaigns_pkey', ['company_id', 'id'])
    .addUniqueConstraint('campaigns_company_name_key', ['company_id', 'name'])
    .addCheckConstraint('campaigns_flight_check', sql`fecha_inicio <= fecha_fin`)
    .execute()

  // Keyset pagination: each sort key with id as the unique tie-breaker (name is unique already).
  await db.schema.createIndex('campaigns_fecha_inicio_idx').on('campaigns').columns(['company_id', 'fecha_inicio', 'id']).execute()
  await db.schema.createIndex('campaigns_impactos_personas_idx').on('campaigns').columns(['company_id', 'impactos_personas', 'id']).execute()
  await db.schema.createIndex('campaigns_alcance_idx').on('campaigns').columns(['company_id', 'alcance', 'id']).execute()
  await db.schema.createIndex('campaigns_fecha_fin_idx').on('campaigns').columns(['company_id', 'fecha_fin']).execute()
  await db.schema.createIndex('campaigns_tipo_name_idx').on('campaigns').columns(['company_id', 'tipo_campania', 'name']).execute()
  await sql`create index campaigns_name_trgm_idx on campaigns using gin (lower(name) gin_trgm_ops)`.execute(db)

  await db.schema.createTable('campaign_periods')
    .addColumn('company_id', 'bigint', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period ~ '^[0-9]{4}-[0-9]{2}$'`))
    // numeric, not bigint: a period's impacts are exported as fractions (8426029.746377468) and
    // must be stored as printed, neither rounded nor truncated.
    .addColumn('impactos_periodo_personas', 'numeric', (c) => c.check(NON_NEGATIVE('impactos_periodo_personas')))
    .addColumn('impactos_periodo_vehiculos', 'numeric', (c) => c.check(NON_NEGATIVE('impactos_periodo_vehiculos')))
    .addPrimaryKeyConstraint('campaign_periods_pkey', ['company_id', 'campaign_id', 'period'])
    .addForeignKeyConstraint('campaign_periods_campaign_fkey', ['company_id', 'campaign_id'], 'campaigns', ['company_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute()

  let sites = db.schema.createTable('sites')
    .addColumn('company_id', 'bigint', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('id', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('codigo_del_sitio', 'text', (c) => c.notNull().check(sql`length(codigo_del_sitio) between 1 and 200`))
    .addColumn('tipo_de_mueble', 'text')
    .addColumn('tipo_de_anuncio', 'text')
    .addColumn('disponible', 'boolean')
    .addColumn('estado', 'text')
    .addColumn('municipio', 'text')
    .addColumn('zm', 'text')
  for (const share of SITE_SHARES) sites = sites.addColumn(share, 'double precision', (c) => c.check(SHARE(share)))
  await sites
    .addPrimaryKeyConstraint('sites_pkey', ['company_id', 'id'])
    .addUniqueConstraint('sites_company_codigo_key', ['company_id', 'codigo_del_sitio'])
    .execute()
  await db.schema.createIndex('sites_zm_idx').on('sites').columns(['company_id', 'zm']).execute()
  await db.schema.createIndex('sites_estado_idx').on('sites').columns(['company_id', 'estado']).execute()

  // The fact table: one row per campaign, site and catorcena.
  await db.schema.createTable('campaign_site_periods')
    .addColumn('company_id', 'bigint', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('site_id', 'bigint', (c) => c.notNull())
    .addColumn('id_fourteen', 'text', (c) => c.notNull().check(sql`id_fourteen ~ '^[0-9]{4}-[0-9]{2}$'`))
    .addColumn('mes', 'text', (c) => c.check(sql`mes ~ '^[0-9]{4}-[0-9]{2}$'`))
    .addColumn('frecuencia_catorcenal', 'double precision', (c) => c.check(NON_NEGATIVE('frecuencia_catorcenal')))
    .addColumn('frecuencia_mensual', 'double precision', (c) => c.check(NON_NEGATIVE('frecuencia_mensual')))
    .addColumn('exposicion_promedio_catorcenal', 'double precision', (c) => c.check(NON_NEGATIVE('exposicion_promedio_catorcenal')))
    .addColumn('impactos_catorcenal', 'bigint', (c) => c.check(NON_NEGATIVE('impactos_catorcenal')))
    .addColumn('alcance_vehiculos_catorcenal', 'double precision', (c) => c.check(NON_NEGATIVE('alcance_vehiculos_catorcenal')))
    .addColumn('impactos_mensuales', 'bigint', (c) => c.check(NON_NEGATIVE('impactos_mensuales')))
    .addColumn('alcance_mensual', 'double precision', (c) => c.check(NON_NEGATIVE('alcance_mensual')))
    .addColumn('impactos_mensuales_prom_min_max', 'bigint', (c) => c.check(NON_NEGATIVE('impactos_mensuales_prom_min_max')))
    .addColumn('alcance_mensuales_prom_min_max', 'double precision', (c) => c.check(NON_NEGATIVE('alcance_mensuales_prom_min_max')))
    .addColumn('fecha_uso_inicio', 'date')
    .addColumn('fecha_uso_fin', 'date')
    .addPrimaryKeyConstraint('campaign_site_periods_pkey', ['company_id', 'campaign_id', 'site_id', 'id_fourteen'])
    .addForeignKeyConstraint('campaign_site_periods_campaign_fkey', ['company_id', 'campaign_id'], 'campaigns', ['company_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('campaign_site_periods_site_fkey', ['company_id', 'site_id'], 'sites', ['company_id', 'id'], (fk) => fk.onDelete('restrict'))
    .addCheckConstraint('campaign_site_periods_usage_check', sql`fecha_uso_inicio is null or fecha_uso_fin is null or fecha_uso_inicio <= fecha_uso_fin`)
    .execute()
  await db.schema.createIndex('campaign_site_periods_site_idx').on('campaign_site_periods').columns(['company_id', 'site_id']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_site_periods').execute()
  await db.schema.dropTable('sites').execute()
  await db.schema.dropTable('campaign_periods').execute()
  await db.schema.dropTable('campaigns').execute()
}
