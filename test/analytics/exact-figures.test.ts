import { existsSync } from 'node:fs'
import path from 'node:path'
import t, { type Test } from 'tap'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { canonicalDecimal, exactDecimal } from '../../src/db/exact-decimal.js'
import { FILE_NAMES, importCampaignFiles, type FileKind } from '../../src/modules/imports/index.js'
import { ROOT } from '../support/database.js'
import { REAL_EXPORT_DIR } from '../support/real-export.js'
import { buildTestApp, createUserWithToken } from '../helper.js'
import { buildCampaign } from '../support/campaign-fixtures.js'

t.test('a sum is a number only when a double carries its digits exactly, else its digits as a string', async (t) => {
  t.equal(exactDecimal('694069.95998'), 694069.95998)
  t.equal(exactDecimal('120.500'), 120.5, 'trailing zeros are not digits of the value')
  t.equal(exactDecimal('0.000'), 0)
  t.equal(exactDecimal('9007199254740991'), Number.MAX_SAFE_INTEGER)
  t.equal(exactDecimal('9007199254740992'), '9007199254740992', '2^53 is held by a double, but so would 2^53 + 1 be read')
  t.equal(exactDecimal('123456789012345678.25'), '123456789012345678.25')
  t.equal(exactDecimal('0.30000000000000001'), '0.30000000000000001', 'more digits than a double carries')
  t.equal(exactDecimal('0.0000001'), '0.0000001', 'a double would print it with an exponent')
  t.equal(canonicalDecimal('-0.0'), '0')
  t.throws(() => canonicalDecimal('1e5'))
})

// The reference: decimal strings summed exactly with BigInt, in this file, from the base rows.
function addDecimals (values: Array<string | number | null>): string {
  const present = values.filter((v): v is string | number => v !== null).map((v) => canonicalDecimal(String(v)))
  const scale = Math.max(0, ...present.map((v) => (v.split('.')[1] ?? '').length))
  const total = present.reduce((sum, v) => {
    const [whole, fraction = ''] = v.split('.')
    return sum + BigInt(whole + fraction.padEnd(scale, '0'))
  }, 0n)
  const digits = total.toString().padStart(scale + 1, '0')
  return canonicalDecimal(scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits)
}

/** The answer's figure is the reference's exact decimal: digit for digit as a number, or as the string. */
function sameDecimal (t: Test, actual: unknown, expected: string, label: string) {
  if (typeof actual === 'number') t.equal(String(actual), expected, label)
  else t.equal(actual, expected, `${label} (as a string)`)
}

type Fact = { campaign: string, site_id: number, impactos: number | null, alcance: number | null, zm: string | null, estado: string | null, municipio: string | null, tipo_de_mueble: string | null, tipo_de_anuncio: string | null }

async function checkFigures (t: Test, app: FastifyInstance, companyId: number, authorization: string) {
  const get = async (url: string) => {
    const response = await app.inject({ url, headers: { authorization } })
    t.equal(response.statusCode, 200, url)
    return response.json()
  }
  const facts = (await sql<Fact>`
    select c.name as campaign, f.site_id, f.impactos_catorcenal as impactos, f.alcance_vehiculos_catorcenal as alcance,
      s.zm, s.estado, s.municipio, s.tipo_de_mueble, s.tipo_de_anuncio
    from campaign_site_periods f join campaigns c on c.company_id = f.company_id and c.id = f.campaign_id
    join sites s on s.company_id = f.company_id and s.id = f.site_id
    where f.company_id = ${companyId}`.execute(app.db)).rows
  const periods = (await sql<{ campaign: string, personas: string | null, vehiculos: string | null }>`
    select c.name as campaign, p.impactos_periodo_personas::text as personas, p.impactos_periodo_vehiculos::text as vehiculos
    from campaign_periods p join campaigns c on c.company_id = p.company_id and c.id = p.campaign_id
    where p.company_id = ${companyId}`.execute(app.db)).rows
  const campaigns = await app.db.selectFrom('campaigns').select(['name', 'impactos_personas', 'impactos_vehiculos', 'alcance'])
    .where('company_id', '=', companyId).execute()
  t.ok(campaigns.length > 0 && facts.length > 0, `${campaigns.length} campaigns, ${facts.length} facts`)
  let fractional = 0

  for (const { name } of campaigns) {
    const mine = facts.filter((f) => f.campaign === name)
    const sites = await get(`/v2/campaigns/${encodeURIComponent(name)}/sites/summary`)
    for (const dimension of ['tipo_de_mueble', 'tipo_de_anuncio', 'estado', 'municipio', 'zm'] as const) {
      const groups = new Map<string | null, Fact[]>()
      for (const f of mine) groups.set(f[dimension], [...(groups.get(f[dimension]) ?? []), f])
      const rows = sites.breakdowns[dimension] as Array<{ value: string | null, sites: number, impactos: number | string, alcance: number | string }>
      t.same(rows.map((r) => r.value).sort(), [...groups.keys()].sort(), `${name} ${dimension}: the values`)
      for (const row of rows) {
        const group = groups.get(row.value) ?? []
        t.equal(row.sites, new Set(group.map((f) => f.site_id)).size, `${name} ${dimension}=${row.value}: distinct sites`)
        sameDecimal(t, row.impactos, addDecimals(group.map((f) => f.impactos)), `${name} ${dimension}=${row.value}: impactos`)
        const reach = addDecimals(group.map((f) => f.alcance))
        if (reach.includes('.')) fractional++
        sameDecimal(t, row.alcance, reach, `${name} ${dimension}=${row.value}: alcance`)
      }
    }
    for (const top of sites.top_sites as Array<{ codigo_del_sitio: string, impactos: number | string, alcance: number | string }>) {
      const [{ id }] = await app.db.selectFrom('sites').select('id').where('company_id', '=', companyId).where('codigo_del_sitio', '=', top.codigo_del_sitio).execute()
      const own = mine.filter((f) => f.site_id === id)
      sameDecimal(t, top.impactos, addDecimals(own.map((f) => f.impactos)), `${name} top ${top.codigo_del_sitio}: impactos`)
      sameDecimal(t, top.alcance, addDecimals(own.map((f) => f.alcance)), `${name} top ${top.codigo_del_sitio}: alcance`)
    }
    const summary = await get(`/v2/campaigns/${encodeURIComponent(name)}/periods/summary`)
    const series = periods.filter((p) => p.campaign === name)
    for (const key of ['personas', 'vehiculos'] as const) {
      const total = addDecimals(series.map((p) => p[key]))
      sameDecimal(t, summary[key].total, total, `${name} periods ${key}: total`)
      const known = series.filter((p) => p[key] !== null).length
      if (known > 0) {
        const average = Number(total) / known
        t.ok(Math.abs(summary[key].average - average) <= Math.abs(average) * 4 * Number.EPSILON, `${name} periods ${key}: average ${summary[key].average} ~ ${average}`)
      }
    }
    const figures = await get(`/v2/campaigns/${encodeURIComponent(name)}/summary`)
    sameDecimal(t, figures.totals.impactos_sitios, addDecimals(mine.map((f) => f.impactos)), `${name} impactos_sitios`)
  }
  t.ok(fractional > 0, `${fractional} sums of reach carry decimals: the case where binary noise showed`)

  // The overview unfiltered and by each filter it takes, against the campaigns and facts the filter selects.
  const described = (await sql<{ name: string, tipo_campania: string, fecha_inicio: string, fecha_fin: string }>`
    select name, tipo_campania, fecha_inicio::text, fecha_fin::text from campaigns where company_id = ${companyId}`.execute(app.db)).rows
  const byName = new Map(described.map((c) => [c.name, c]))
  const someZone = facts.find((f) => f.zm !== null)?.zm ?? ''
  const someState = facts.find((f) => f.estado !== null)?.estado ?? ''
  const first = [...described].sort((a, b) => a.fecha_inicio.localeCompare(b.fecha_inicio))[Math.floor(described.length / 2)]
  const hasFact = (name: string, keep: (f: Fact) => boolean) => facts.some((f) => f.campaign === name && keep(f))
  const filters: Array<[string, (c: typeof described[number]) => boolean]> = [
    ['', () => true],
    ['tipo_campania=mensual', (c) => c.tipo_campania === 'mensual'],
    [`start_date=${first.fecha_inicio}&end_date=${first.fecha_fin}`, (c) => c.fecha_fin >= first.fecha_inicio && c.fecha_inicio <= first.fecha_fin],
    [`start_date=${first.fecha_fin}`, (c) => c.fecha_fin >= first.fecha_fin],
    [`tipo_campania=catorcenal&end_date=${first.fecha_inicio}`, (c) => c.tipo_campania === 'catorcenal' && c.fecha_inicio <= first.fecha_inicio],
    [`zm=${encodeURIComponent(someZone)}`, (c) => hasFact(c.name, (f) => f.zm === someZone)],
    [`estado=${encodeURIComponent(someState)}`, (c) => hasFact(c.name, (f) => f.estado === someState)],
    ['q=2', (c) => c.name.toLowerCase().includes('2')],
    [`zm=${encodeURIComponent(someZone)}&tipo_campania=mensual&start_date=${first.fecha_inicio}`,
      (c) => hasFact(c.name, (f) => f.zm === someZone) && c.tipo_campania === 'mensual' && c.fecha_fin >= first.fecha_inicio],
    [`estado=${encodeURIComponent(someState)}&end_date=${first.fecha_fin}`, (c) => hasFact(c.name, (f) => f.estado === someState) && c.fecha_inicio <= first.fecha_fin],
    [`zm=${encodeURIComponent(someZone)}&estado=${encodeURIComponent(someState)}`,
      (c) => hasFact(c.name, (f) => f.zm === someZone) && hasFact(c.name, (f) => f.estado === someState)]
  ]
  for (const [query, selects] of filters) {
    const overview = await get(`/v2/analytics/overview?${query}`)
    const chosen = campaigns.filter((c) => selects(byName.get(c.name)!))
    t.equal(overview.totals.campaigns, chosen.length, `overview?${query}: campaigns`)
    for (const key of ['impactos_personas', 'impactos_vehiculos', 'alcance'] as const) {
      sameDecimal(t, overview.totals[key], addDecimals(chosen.map((c) => c[key])), `overview?${query} ${key}`)
    }
    const names = new Set(chosen.map((c) => c.name))
    const zones = new Map<string | null, Fact[]>()
    for (const f of facts.filter((f) => names.has(f.campaign))) zones.set(f.zm, [...(zones.get(f.zm) ?? []), f])
    t.same(overview.by_zm.map((z: { zm: string | null }) => z.zm).sort(), [...zones.keys()].sort(), `overview?${query}: zones`)
    for (const zone of overview.by_zm as Array<{ zm: string | null, campaigns: number, sites: number, impactos: number | string }>) {
      const group = zones.get(zone.zm) ?? []
      t.equal(zone.campaigns, new Set(group.map((f) => f.campaign)).size, `overview?${query} ${zone.zm}: campaigns`)
      t.equal(zone.sites, new Set(group.map((f) => f.site_id)).size, `overview?${query} ${zone.zm}: distinct sites`)
      sameDecimal(t, zone.impactos, addDecimals(group.map((f) => f.impactos)), `overview?${query} ${zone.zm}: impactos`)
    }
  }
}

const exports = [
  { label: 'the sample data', dir: path.join(ROOT, 'db/sample-data') },
  { label: 'the real export', dir: REAL_EXPORT_DIR }
]
for (const { label, dir } of exports) {
  const files = Object.fromEntries(Object.entries(FILE_NAMES).map(([kind, name]) => [kind, path.join(dir, name)])) as Record<FileKind, string>
  const present = Object.values(files).every((file) => existsSync(file))
  t.test(`${label}: every sum and average equals a reference computed here, without binary noise`, { skip: present ? false : `not found in ${dir}` }, async (t) => {
    const app = await buildTestApp(t)
    const user = await createUserWithToken(app, { role: 'admin' })
    const report = await importCampaignFiles(app.database, { companyId: user.companyId, files, partial: true, conflictPolicy: 'first' })
    t.equal(report.committed, true)
    await checkFigures(t, app, user.companyId, user.authorization)
  })
}

t.test('an overview sum past 2^53 - 1 is its exact digits as a string, declared in the schema', async (t) => {
  const app = await buildTestApp(t)
  const user = await createUserWithToken(app, { role: 'admin' })
  const big = Number.MAX_SAFE_INTEGER - 1
  await buildCampaign(app.db, user.companyId, { name: 'Grande 1', impactos_personas: big, alcance: 1 })
  await buildCampaign(app.db, user.companyId, { name: 'Grande 2', impactos_personas: big, alcance: 2 })
  const body = (await app.inject({ url: '/v2/analytics/overview', headers: { authorization: user.authorization } })).json()
  t.equal(body.totals.impactos_personas, (2n * BigInt(big)).toString())
  t.equal(body.totals.alcance, 3)
  t.equal(body.by_tipo[0].impactos_personas, (2n * BigInt(big)).toString())
})
