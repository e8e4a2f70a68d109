import { Readable } from 'node:stream'
import { sql } from 'kysely'
import type { DatabaseConnection } from '../../src/db/engine.js'
import { CAMPAIGN_COLUMNS, PERIOD_COLUMNS, SITE_COLUMNS } from '../../src/modules/imports/columns.js'
import { importCampaignFiles, type ImportSettings } from '../../src/modules/imports/index.js'
import { uniqueName } from '../helper.js'
import type { FastifyInstance } from 'fastify'

// Small exports built in the test, so each case shows the one defect it is about.

type Cells = Record<string, string>

export const CAMPAIGN_HEADER = CAMPAIGN_COLUMNS.map((c) => c.name)
// The real export spells this header with an accent; the importer must accept it.
export const PERIOD_HEADER = PERIOD_COLUMNS.map((c) => c.name === 'impactos_periodo_vehiculos' ? 'impactos_periodo_vehículos' : c.name)
export const SITE_HEADER = SITE_COLUMNS.map((c) => c.name)

const SHARES_7 = ['0.1', '0.2', '0.3', '0.1', '0.1', '0.1', '0.1']

export function campaign (name: string, cells: Cells = {}): Cells {
  const base: Cells = {
    name,
    sites: '1',
    periods: '2025-01,2025-02',
    tipo_campania: 'mensual',
    fecha_inicio: '2025-01-01',
    fecha_fin: '2025-02-28',
    universo_zona_metro: '22057420',
    impactos_personas: '3000',
    impactos_vehiculos: '1000',
    frecuencia_calculada: '3.5',
    frecuencia_promedio: '2.25',
    alcance: '850'
  }
  const shares = ['nse_ab', 'nse_c', 'nse_cmas', 'nse_d', 'nse_dmas', 'nse_e']
  shares.forEach((s, i) => { base[s] = ['0.2', '0.2', '0.2', '0.2', '0.1', '0.1'][i] })
  const ages = ['edad_0a14', 'edad_15a19', 'edad_20a24', 'edad_25a34', 'edad_35a44', 'edad_45a64', 'edad_65mas']
  ages.forEach((a, i) => { base[a] = SHARES_7[i] })
  base.hombres = '0.52'
  base.mujeres = '0.48'
  for (let h = 0; h < 24; h++) base[`hourly_vehicle_count_${String(h).padStart(2, '0')}`] = String(100 + h)
  return { ...base, ...cells }
}

export function period (name: string, code: string, personas: string, vehiculos: string, tipo = 'mensual'): Cells {
  return { name, tipo_campania: tipo, period: code, impactos_periodo_personas: personas, impactos_periodo_vehículos: vehiculos }
}

export function site (name: string, code: string, catorcena: string, cells: Cells = {}): Cells {
  const base: Cells = {
    codigo_del_sitio: code,
    tipo_de_mueble: 'Pantalla Digital',
    tipo_de_anuncio: 'Digital',
    disponible: 'Sí',
    estado: 'Ciudad de Mexico',
    municipio: 'Cuauhtemoc',
    zm: 'Valle de Mexico',
    frecuencia_catorcenal: '16.77665329',
    frecuencia_mensual: '21.80134392',
    exposicion_promedio_catorcenal: '23.56007576',
    impactos_catorcenal: '1483482',
    alcance_vehiculos_catorcenal: '88425.38344',
    id_fourteen: catorcena,
    mes: '2025-01',
    impactos_mensuales: '3023538',
    alcance_mensual: '138685.8594',
    impactos_mensuales_prom_min_max: '3023538',
    alcance_mensuales_prom_min_max: '138685.8594',
    name,
    fecha_uso_inicio: '2025-01-01',
    fecha_uso_fin: '2025-02-28'
  }
  const shares = SITE_COLUMNS.filter((c) => c.kind === 'share').map((c) => c.name)
  shares.forEach((s, i) => { base[s] = i < 6 ? '0.15' : '0.1' })
  return { ...base, ...cells }
}

const quote = (value: string) => /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value

export function csv (header: string[], rows: Cells[], options: { bom?: boolean, crlf?: boolean } = {}): string {
  const eol = options.crlf ? '\r\n' : '\n'
  const lines = [header.join(','), ...rows.map((row) => header.map((h) => quote(row[h] ?? '')).join(','))]
  return (options.bom ? '\uFEFF' : '') + lines.join(eol) + eol
}

export type Export = { campaigns: Cells[], periods: Cells[], sites: Cells[] }

/** One valid campaign with two months and one site over two catorcenas: the baseline every case alters. */
export function cleanExport (name: string): Export {
  return {
    campaigns: [campaign(name)],
    periods: [period(name, '2025-01', '1500', '500'), period(name, '2025-02', '1500', '500')],
    sites: [site(name, `${name}-SITE-1`, '2025-01'), site(name, `${name}-SITE-1`, '2025-02', { mes: '2025-01' })]
  }
}

export function streams (data: Export, options: { bom?: boolean, crlf?: boolean } = {}) {
  return {
    campaigns: Readable.from([csv(CAMPAIGN_HEADER, data.campaigns, options)]),
    periods: Readable.from([csv(PERIOD_HEADER, data.periods, options)]),
    sites: Readable.from([csv(SITE_HEADER, data.sites, options)])
  }
}

export async function newCompany (connection: DatabaseConnection): Promise<number> {
  return (await connection.db.insertInto('companies').values({ name: uniqueName('import') }).returning('id').executeTakeFirstOrThrow()).id
}

export async function runImport (connection: DatabaseConnection, companyId: number, data: Export, options: Partial<ImportSettings> = {}) {
  return importCampaignFiles(connection, { companyId, files: streams(data), ...options })
}

/** Every row the company owns, in key order: two equal dumps mean two equal databases (for this tenant). */
export async function dumpCompany (connection: DatabaseConnection, companyId: number) {
  const db = connection.db
  return {
    campaigns: await db.selectFrom('campaigns').selectAll().where('company_id', '=', companyId).orderBy('name').execute(),
    periods: await db.selectFrom('campaign_periods').selectAll().where('company_id', '=', companyId).orderBy('campaign_id').orderBy('period').execute(),
    sites: await db.selectFrom('sites').selectAll().where('company_id', '=', companyId).orderBy('codigo_del_sitio').execute(),
    facts: await db.selectFrom('campaign_site_periods').selectAll().where('company_id', '=', companyId).orderBy('campaign_id').orderBy('site_id').orderBy('id_fourteen').execute()
  }
}

/** Period values as PostgreSQL prints them (numeric as text), to compare exact decimals. */
export async function periodText (connection: DatabaseConnection, companyId: number, campaignName: string) {
  const { rows } = await sql<{ period: string, personas: string | null, vehiculos: string | null }>`
    select p.period, p.impactos_periodo_personas::text as personas, p.impactos_periodo_vehiculos::text as vehiculos
    from campaign_periods p join campaigns c on c.company_id = p.company_id and c.id = p.campaign_id
    where c.company_id = ${companyId} and c.name = ${campaignName} order by p.period`.execute(connection.db)
  return rows
}

/** A multipart POST (to /imports by default) whose form `build` fills, as a browser sends it. */
export async function postForm (app: FastifyInstance, authorization: string, build: (form: FormData) => void, url = '/v2/imports') {
  const form = new FormData()
  build(form)
  const request = new Request(`http://localhost${url}`, { method: 'POST', body: form })
  return app.inject({ method: 'POST', url, payload: Buffer.from(await request.arrayBuffer()), headers: { authorization, 'content-type': request.headers.get('content-type')! } })
}

/** The three files of an export as form file parts; `campaigns` replaces that file's text. */
export function appendExport (form: FormData, data: Export, campaigns = csv(CAMPAIGN_HEADER, data.campaigns)): void {
  form.append('campaigns', new Blob([campaigns]), 'c.csv')
  form.append('periods', new Blob([csv(PERIOD_HEADER, data.periods)]), 'p.csv')
  form.append('sites', new Blob([csv(SITE_HEADER, data.sites)]), 's.csv')
}
