import { sql, type Kysely, type Transaction } from 'kysely'
import { jsonArrayFrom, jsonBuildObject } from 'kysely/helpers/postgres'
import type { CampaignCreateType, CampaignPatchType } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'
import { preparedQuery } from '../../db/prepared.js'
import { campaignCounts, selectCampaign } from './list-repository.js'

type Db = Kysely<Database> | Transaction<Database>

/** One campaign of a company by name, with the same counts as the list. */
export async function findCampaign (db: Db, companyId: number, name: string) {
  const [row] = await campaignByName(db, companyId, name)
  return row
}

const campaignByName = preparedQuery('campaign_by_name', (db: Db, companyId: number, name: string) => selectCampaign(db.selectFrom('campaigns as c'))
  .select(campaignCounts)
  .where('c.company_id', '=', companyId)
  .where('c.name', '=', name), [0, 'example'])

export type FoundCampaign = NonNullable<Awaited<ReturnType<typeof findCampaign>>>

/**
 * The detail in one statement (one round trip, one snapshot): the campaign's row, its periods,
 * and its sites, each with its totals and per-period facts aggregated in SQL into the response's
 * own JSON shape. The counts of the list item follow from the arrays (a site is listed once per
 * site with facts, as sites_count counts them).
 */
export async function findCampaignDetail (db: Db, companyId: number, name: string) {
  const [row] = await campaignDetail(db, companyId, name)
  return row
}

// Built once and prepared: PostgreSQL took as long to plan this statement as to run it (0.3-0.4 ms
// each, warm), and Kysely building it anew took a third of the request's Node CPU (API run 8).
const campaignDetail = preparedQuery('campaign_detail', (db: Db, companyId: number, name: string) => selectCampaign(db.selectFrom('campaigns as c'))
  .select((eb) => [
    jsonArrayFrom(eb.selectFrom('campaign_periods as cp')
      .select(['cp.period', 'cp.impactos_periodo_personas', 'cp.impactos_periodo_vehiculos'])
      .whereRef('cp.company_id', '=', 'c.company_id').whereRef('cp.campaign_id', '=', 'c.id')
      .orderBy('cp.period')).as('period_rows'),
    jsonArrayFrom(eb.selectFrom('campaign_site_periods as f')
      .innerJoin('sites as s', (join) => join.onRef('s.company_id', '=', 'f.company_id').onRef('s.id', '=', 'f.site_id'))
      .select(['s.codigo_del_sitio', 's.tipo_de_mueble', 's.tipo_de_anuncio', 's.disponible', 's.estado', 's.municipio', 's.zm'])
      .select((site) => [
        jsonBuildObject({
          periods: site.fn.countAll<number>(),
          impactos_catorcenal: sql<number>`coalesce(sum(f.impactos_catorcenal), 0)`,
          impactos_mensuales: sql<number>`coalesce(sum(f.impactos_mensuales), 0)`,
          alcance_vehiculos_catorcenal: sql<number>`coalesce(sum(f.alcance_vehiculos_catorcenal::text::numeric), 0)`,
          frecuencia_catorcenal_promedio: site.fn.avg<number | null>('f.frecuencia_catorcenal')
        }).as('totals'),
        site.fn.jsonAgg(jsonBuildObject({
          id_fourteen: site.ref('f.id_fourteen'),
          mes: site.ref('f.mes'),
          impactos_catorcenal: site.ref('f.impactos_catorcenal'),
          impactos_mensuales: site.ref('f.impactos_mensuales'),
          frecuencia_catorcenal: site.ref('f.frecuencia_catorcenal'),
          alcance_vehiculos_catorcenal: site.ref('f.alcance_vehiculos_catorcenal'),
          alcance_mensual: site.ref('f.alcance_mensual'),
          fecha_uso_inicio: site.ref('f.fecha_uso_inicio'),
          fecha_uso_fin: site.ref('f.fecha_uso_fin')
        })).orderBy('f.id_fourteen').as('periods')
      ])
      .whereRef('f.company_id', '=', 'c.company_id').whereRef('f.campaign_id', '=', 'c.id')
      .groupBy(['s.company_id', 's.id'])
      .orderBy('s.codigo_del_sitio')).as('site_rows')
  ])
  .where('c.company_id', '=', companyId)
  .where('c.name', '=', name), [0, 'example'])

export async function insertCampaign (db: Db, companyId: number, values: CampaignCreateType): Promise<void> {
  await db.insertInto('campaigns').values({ ...values, company_id: companyId }).execute()
}

/** Locks the row for a read-check-write inside the caller's transaction. */
export function lockCampaign (trx: Transaction<Database>, companyId: number, name: string) {
  return trx.selectFrom('campaigns').select(['id', 'fecha_inicio', 'fecha_fin'])
    .where('company_id', '=', companyId).where('name', '=', name)
    .forUpdate().executeTakeFirst()
}

export async function updateCampaign (db: Db, companyId: number, id: number, changes: CampaignPatchType): Promise<void> {
  await db.updateTable('campaigns').set({ ...changes, updated_at: sql`now()` })
    .where('company_id', '=', companyId).where('id', '=', id).execute()
}

/** Periods and site facts go with it (ON DELETE CASCADE); sites are shared and stay. */
export async function deleteCampaign (db: Db, companyId: number, name: string): Promise<boolean> {
  const result = await db.deleteFrom('campaigns').where('company_id', '=', companyId).where('name', '=', name).executeTakeFirst()
  return result.numDeletedRows > 0n
}
