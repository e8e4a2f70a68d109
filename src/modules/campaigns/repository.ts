import { sql, type Kysely, type Transaction } from 'kysely'
import type { CampaignCreateType, CampaignPatchType } from '../../../schemas/campaigns.js'
import type { Database } from '../../db/schema.js'
import { CAMPAIGN_COLUMNS } from './list-repository.js'

type Db = Kysely<Database> | Transaction<Database>

/** One campaign of a company by name, with the same counts as the list. */
export function findCampaign (db: Db, companyId: number, name: string) {
  return db.selectFrom('campaigns as c')
    .select(['c.company_id', 'c.id', ...CAMPAIGN_COLUMNS.map((c) => `c.${c}` as const)])
    .select((eb) => [
      eb.selectFrom('campaign_site_periods as f').select((e) => e.fn.count<number>('f.site_id').distinct().as('n'))
        .whereRef('f.company_id', '=', 'c.company_id').whereRef('f.campaign_id', '=', 'c.id').as('sites_count'),
      eb.selectFrom('campaign_periods as cp').select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('cp.company_id', '=', 'c.company_id').whereRef('cp.campaign_id', '=', 'c.id').as('periods_count')
    ])
    .where('c.company_id', '=', companyId)
    .where('c.name', '=', name)
    .executeTakeFirst()
}

export type FoundCampaign = NonNullable<Awaited<ReturnType<typeof findCampaign>>>

/**
 * The id of a company's campaign by name, as a scalar subquery: the detail's reads each find the
 * campaign themselves, so all four run at once instead of waiting for findCampaign's round trip.
 */
function campaignIdByName (db: Db, companyId: number, name: string) {
  return db.selectFrom('campaigns').select('id').where('company_id', '=', companyId).where('name', '=', name)
}

export function listCampaignPeriods (db: Db, companyId: number, name: string) {
  return db.selectFrom('campaign_periods')
    .select(['period', 'impactos_periodo_personas', 'impactos_periodo_vehiculos'])
    .where('company_id', '=', companyId).where('campaign_id', '=', campaignIdByName(db, companyId, name))
    .orderBy('period').execute()
}

/** Each site of the campaign with its totals over the campaign, aggregated in SQL. */
export function listCampaignSiteTotals (db: Db, companyId: number, name: string) {
  return db.selectFrom('campaign_site_periods as f')
    .innerJoin('sites as s', (join) => join.onRef('s.company_id', '=', 'f.company_id').onRef('s.id', '=', 'f.site_id'))
    .select(['s.id', 's.codigo_del_sitio', 's.tipo_de_mueble', 's.tipo_de_anuncio', 's.disponible', 's.estado', 's.municipio', 's.zm'])
    .select((eb) => [
      eb.fn.countAll<number>().as('periods'),
      sql<number>`coalesce(sum(f.impactos_catorcenal), 0)`.as('impactos_catorcenal'),
      sql<number>`coalesce(sum(f.impactos_mensuales), 0)`.as('impactos_mensuales'),
      sql<number>`coalesce(sum(f.alcance_vehiculos_catorcenal), 0)`.as('alcance_vehiculos_catorcenal'),
      eb.fn.avg<number | null>('f.frecuencia_catorcenal').as('frecuencia_catorcenal_promedio')
    ])
    .where('f.company_id', '=', companyId).where('f.campaign_id', '=', campaignIdByName(db, companyId, name))
    .groupBy(['s.company_id', 's.id'])
    .orderBy('s.codigo_del_sitio')
    .execute()
}

export function listCampaignSiteFacts (db: Db, companyId: number, name: string) {
  return db.selectFrom('campaign_site_periods')
    .select(['site_id', 'id_fourteen', 'mes', 'impactos_catorcenal', 'impactos_mensuales', 'frecuencia_catorcenal',
      'alcance_vehiculos_catorcenal', 'alcance_mensual', 'fecha_uso_inicio', 'fecha_uso_fin'])
    .where('company_id', '=', companyId).where('campaign_id', '=', campaignIdByName(db, companyId, name))
    .orderBy('site_id').orderBy('id_fourteen')
    .execute()
}

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
