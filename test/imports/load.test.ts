import { Readable } from 'node:stream'
import t from 'tap'
import { ImportFileError, importCampaignFiles } from '../../src/modules/imports/index.js'
import { openTestDatabase, uniqueName } from '../helper.js'
import { campaign, CAMPAIGN_HEADER, cleanExport, csv, dumpCompany, newCompany, period, PERIOD_HEADER, runImport, site, SITE_HEADER, streams } from './fixtures.js'

const connection = await openTestDatabase()
t.teardown(() => connection.close())

t.test('exact duplicate rows are loaded once and counted', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('dup')
  data.campaigns.push(data.campaigns[0])
  data.periods.push(data.periods[1])
  data.sites.push(data.sites[0])
  const report = await runImport(connection, companyId, data)
  t.equal(report.committed, true)
  t.same(report.duplicates, [{ file: 'campaigns', line: 3, duplicateOf: 2 }, { file: 'periods', line: 4, duplicateOf: 3 }, { file: 'sites', line: 4, duplicateOf: 2 }])
  t.same(Object.values(report.files).map((f) => [f.rowsRead, f.rowsLoaded, f.duplicates]), [[2, 1, 1], [3, 2, 1], [3, 2, 1]])
  const dump = await dumpCompany(connection, companyId)
  t.same([dump.campaigns.length, dump.periods.length, dump.facts.length], [1, 2, 2])
})

function twoVersions (name: string) {
  const data = cleanExport(name)
  data.campaigns.push(campaign(name, { impactos_personas: '6000', impactos_vehiculos: '2000', sites: '2' }))
  data.periods.push(period(name, '2025-01', '3000', '1000'), period(name, '2025-02', '3000', '1000'))
  return data
}

t.test('one campaign with two sets of figures is a conflict: rejected by default, never merged', async (t) => {
  const companyId = await newCompany(connection)
  const data = twoVersions('twice')
  const other = cleanExport('other')
  const report = await runImport(connection, companyId, {
    campaigns: [...data.campaigns, ...other.campaigns], periods: [...data.periods, ...other.periods], sites: [...data.sites, ...other.sites]
  }, { partial: true })
  t.match(report.conflicts, [
    { file: 'campaigns', key: 'twice', lines: [2, 3], columns: ['impactos_personas', 'impactos_vehiculos'], resolution: 'rejected' }
  ])
  t.same(report.campaigns.rejected.map((c) => c.name), ['twice'])
  t.same(report.files.periods.rowsRejected, 4, 'its period rows are rejected with it, each listed')
  t.ok(report.rejections.every((r) => r.campaign === 'twice' && /conflicting|different figures/.test(r.reason)))
  t.same((await dumpCompany(connection, companyId)).campaigns.map((c) => c.name), ['other'])
})

t.test('--on-conflict first|last keeps the chosen version and still lists the conflict', async (t) => {
  for (const [policy, personas] of [['last', 6000], ['first', 3000]] as const) {
    const companyId = await newCompany(connection)
    const report = await runImport(connection, companyId, twoVersions(`policy-${policy}`), { conflictPolicy: policy })
    t.equal(report.committed, true, policy)
    t.equal(report.conflicts.length, 3, 'the campaign and its two periods')
    t.equal(report.files.campaigns.superseded, 1)
    t.equal(report.files.periods.superseded, 2)
    t.equal(report.crossChecks[0].mapping, 'as-labelled', 'the kept periods add up to the kept totals')
    const dump = await dumpCompany(connection, companyId)
    t.equal(dump.campaigns[0].impactos_personas, personas)
    t.same(dump.periods.map((p) => p.impactos_periodo_personas), [personas / 2, personas / 2])
  }
})

t.test('--on-conflict last keeps the version of the last row in every file (rows A, B, A keep A), and the report names it', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('aba')
  const [campaignA, campaignB] = [data.campaigns[0], campaign('aba', { alcance: '900' })]
  data.campaigns = [campaignA, campaignB, campaignA]
  const [periodA, periodB] = [data.periods[0], period('aba', '2025-01', '1600', '500')]
  data.periods = [periodA, periodB, periodA, data.periods[1]]
  const [siteA, siteB] = [data.sites[0], site('aba', 'aba-SITE-1', '2025-01', { impactos_catorcenal: '999' })]
  data.sites = [siteA, siteB, siteA, data.sites[1]]
  const report = await runImport(connection, companyId, data, { conflictPolicy: 'last' })
  t.equal(report.committed, true)
  t.match(report.conflicts, [
    { file: 'campaigns', lines: [2, 3], resolution: 'kept line 2 (--on-conflict last)' },
    { file: 'periods', lines: [2, 3], resolution: 'kept line 2 (--on-conflict last)' },
    { file: 'sites', lines: [2, 3], resolution: 'kept line 2 (--on-conflict last)' }
  ])
  t.same(Object.values(report.files).map((f) => [f.rowsRead, f.rowsValid, f.duplicates, f.superseded]), [[3, 1, 1, 1], [4, 2, 1, 1], [4, 2, 1, 1]], 'read = valid + duplicates + superseded')
  const dump = await dumpCompany(connection, companyId)
  t.equal(dump.campaigns[0].alcance, Number(campaignA.alcance), 'campaign A')
  t.same(dump.periods.map((p) => p.impactos_periodo_personas), [1500, 1500], 'period A')
  t.equal(Number(dump.facts.find((f) => f.id_fourteen === '2025-01')!.impactos_catorcenal), Number(siteA.impactos_catorcenal), 'site row A')
})

t.test('importing twice leaves the company identical; a corrected file updates the figures', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('idem')
  data.sites.push(site('idem', 'idem, SITE "2"', '2025-01'))
  const first = await runImport(connection, companyId, data)
  const before = await dumpCompany(connection, companyId)
  const second = await runImport(connection, companyId, data)
  t.same(await dumpCompany(connection, companyId), before, 'every row and timestamp unchanged')
  t.same(second.files, first.files)

  const corrected = cleanExport('idem')
  corrected.campaigns[0] = campaign('idem', { impactos_personas: '3100', alcance: '900' })
  corrected.periods[1] = period('idem', '2025-02', '1600', '500')
  corrected.sites[0] = site('idem', 'idem-SITE-1', '2025-01', { impactos_catorcenal: '1500000' })
  await runImport(connection, companyId, corrected)
  const after = await dumpCompany(connection, companyId)
  t.same([after.campaigns[0].impactos_personas, after.campaigns[0].alcance, after.campaigns[0].id], [3100, 900, before.campaigns[0].id])
  t.same(after.periods.map((p) => p.impactos_periodo_personas), [1500, 1600])
  t.same(after.facts.map((f) => f.impactos_catorcenal).sort(), [1500000, 1483482].sort(), 'the site row no longer in the file is removed from the campaign')
  t.equal(after.sites.length, 2, 'sites are a shared dimension: kept')
})

t.test('a failure mid-file leaves no trace, not even of the files read before it', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('atomic')
  await runImport(connection, companyId, data)
  const before = await dumpCompany(connection, companyId)

  const changed = cleanExport('atomic')
  changed.campaigns = [campaign('atomic', { alcance: '1' }), campaign('atomic-new')]
  const header = csv(SITE_HEADER, changed.sites)
  // The header and two rows arrive, then the upload breaks.
  let sent = false
  const failing = new Readable({
    read () {
      if (!sent) this.push(header)
      else this.destroy(new Error('connection to the upload lost'))
      sent = true
    }
  })
  const files = { ...streams(changed), sites: failing }
  await t.rejects(importCampaignFiles(connection, { companyId, files }), { name: 'ImportFileError', message: /sites file: connection to the upload lost/ })
  t.same(await dumpCompany(connection, companyId), before)

  const malformed = { ...streams(changed), sites: Readable.from([header + 'x,"unclosed\n']) }
  await t.rejects(importCampaignFiles(connection, { companyId, files: malformed }), ImportFileError)
  t.same(await dumpCompany(connection, companyId), before)
})

t.test('a company named for the import is created in its transaction: kept when the import commits, never left empty', async (t) => {
  const name = uniqueName('Named Import')
  const defective = cleanExport('named')
  defective.periods[0] = period('named', '2025-01', 'n/a', '500')
  const rejected = await importCampaignFiles(connection, { companyName: name, files: streams(defective) })
  t.equal(rejected.committed, false)
  const companies = () => connection.db.selectFrom('companies').select(['id', 'name']).where('name', 'in', [name, name.toUpperCase()]).execute()
  t.same(await companies(), [], 'rolled back with the import')

  const stored = await importCampaignFiles(connection, { companyName: ` ${name} `, files: streams(cleanExport('named')) })
  t.equal(stored.committed, true)
  t.same(await companies(), [{ id: stored.companyId, name }], 'created once, its name trimmed')
  const again = await importCampaignFiles(connection, { companyName: name.toUpperCase(), files: streams(cleanExport('named')) })
  t.equal(again.companyId, stored.companyId, 'found again by name, case-insensitively')
  t.same((await dumpCompany(connection, stored.companyId)).campaigns.map((c) => c.name), ['named'])
})

t.test('BOM, CRLF, quoted commas, accented and reordered headers are read by name', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('format')
  data.sites = data.sites.map((s) => ({ ...s, codigo_del_sitio: 'PRUEBA-Carr. 57, km 3 / "norte"', municipio: 'San Luis Potosí, S.L.P.' }))
  const reversed = [...PERIOD_HEADER].reverse()
  const files = {
    campaigns: Readable.from([csv(CAMPAIGN_HEADER, data.campaigns, { bom: true, crlf: true })]),
    periods: Readable.from([csv(reversed, data.periods, { bom: true, crlf: true })]),
    sites: Readable.from([csv(SITE_HEADER, data.sites, { crlf: true })])
  }
  const report = await importCampaignFiles(connection, { companyId, files })
  t.equal(report.committed, true)
  t.same(report.rejections, [])
  const dump = await dumpCompany(connection, companyId)
  t.same(dump.sites.map((s) => [s.codigo_del_sitio, s.municipio]), [['PRUEBA-Carr. 57, km 3 / "norte"', 'San Luis Potosí, S.L.P.']])
  t.same(dump.periods.map((p) => p.impactos_periodo_vehiculos), [500, 500])
})

t.test('a file in another encoding fails, naming the line, instead of storing U+FFFD for each accent', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('latin')
  data.sites = data.sites.map((s) => ({ ...s, municipio: 'San Luis Potosí' }))
  const files = { ...streams(data), sites: Readable.from([Buffer.from(csv(SITE_HEADER, data.sites), 'latin1')]) }
  await t.rejects(importCampaignFiles(connection, { companyId, files }), { name: 'ImportFileError', message: /^sites file: is not UTF-8 text \(line 2 holds bytes of another encoding/ })
  t.same((await dumpCompany(connection, companyId)).campaigns, [], 'nothing stored')

  // UTF-16 with its byte order mark is an encoding csv-parse reads: it still loads.
  const utf16 = { ...streams(data), sites: Readable.from([Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(SITE_HEADER, data.sites, { crlf: true }), 'utf16le')])]) }
  const report = await importCampaignFiles(connection, { companyId, files: utf16 })
  t.equal(report.committed, true, JSON.stringify(report.rejections).slice(0, 300))
  t.same((await dumpCompany(connection, companyId)).sites.map((s) => s.municipio), ['San Luis Potosí'])
})

t.test('a missing required column fails the file, naming the column', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('missing')
  const header = PERIOD_HEADER.filter((h) => h !== 'impactos_periodo_vehículos')
  const files = { ...streams(data), periods: Readable.from([csv(header, data.periods)]) }
  await t.rejects(importCampaignFiles(connection, { companyId, files }), { name: 'ImportFileError', message: /periods file: missing required column impactos_periodo_vehiculos/ })
  t.same((await dumpCompany(connection, companyId)).campaigns, [])
})

t.test('an absent optional column is stored as unknown with a warning; rows of unknown campaigns are rejected', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('optional')
  data.sites.push(site('ghost', 'ghost-SITE', '2025-01'))
  const header = SITE_HEADER.filter((h) => h !== 'alcance_mensual')
  const files = { ...streams(data), sites: Readable.from([csv(header, data.sites)]) }
  const report = await importCampaignFiles(connection, { companyId, files, partial: true })
  t.match(report.warnings, [{ file: 'sites', code: 'column-missing', message: /alcance_mensual/ }])
  t.match(report.rejections, [{ file: 'sites', line: 4, reason: 'campaign "ghost" is not in the campaigns file' }])
  t.same((await dumpCompany(connection, companyId)).facts.map((f) => f.alcance_mensual), [null, null])
})

t.test('the seed path (a bare Kysely instance, multi-row INSERT staging) loads the same rows', async (t) => {
  const companyId = await newCompany(connection)
  const report = await importCampaignFiles(connection.db, { companyId, files: streams(cleanExport('kysely')) })
  t.equal(report.committed, true)
  const other = await newCompany(connection)
  await runImport(connection, other, cleanExport('kysely'))
  const strip = (dump: Awaited<ReturnType<typeof dumpCompany>>) => [
    // site_ids are the sites' ids (each company's own); their count and order show in site_zms and site_impactos.
    dump.campaigns.map(({ id, company_id: c, created_at: a, updated_at: b, site_ids: ids, ...rest }) => ({ ...rest, sites: ids.length })),
    dump.periods.map(({ campaign_id: id, company_id: c, ...rest }) => rest),
    dump.sites.map(({ id, company_id: c, ...rest }) => rest),
    dump.facts.map(({ campaign_id: id, site_id: s, company_id: c, ...rest }) => rest)
  ]
  t.same(strip(await dumpCompany(connection, companyId)), strip(await dumpCompany(connection, other)))
})

t.test('one site code with different attributes is a conflict for every campaign using it', async (t) => {
  const companyId = await newCompany(connection)
  const a = cleanExport('attr-a')
  const b = cleanExport('attr-b')
  b.sites = b.sites.map((s) => ({ ...s, codigo_del_sitio: 'attr-a-SITE-1', estado: 'Jalisco' }))
  const data = { campaigns: [...a.campaigns, ...b.campaigns], periods: [...a.periods, ...b.periods], sites: [...a.sites, ...b.sites] }
  const rejected = await runImport(connection, companyId, data, { partial: true })
  t.match(rejected.conflicts, [{ file: 'sites', key: 'attr-a-SITE-1', lines: [2, 4], columns: ['(site attributes)'], resolution: 'rejected' }])
  t.same(rejected.campaigns.rejected.map((c) => c.name), ['attr-a', 'attr-b'])
  t.equal(rejected.files.sites.rowsRejected, 4)
  t.same((await dumpCompany(connection, companyId)).sites, [])

  const kept = await runImport(connection, companyId, data, { conflictPolicy: 'last' })
  t.equal(kept.committed, true)
  t.same((await dumpCompany(connection, companyId)).sites.map((s) => s.estado), ['Jalisco'])

  const firstCompany = await newCompany(connection)
  const first = await runImport(connection, firstCompany, data, { conflictPolicy: 'first' })
  t.equal(first.committed, true)
  t.same((await dumpCompany(connection, firstCompany)).sites.map((s) => s.estado), ['Ciudad de Mexico'])
})

t.test('rows of a campaign whose own row was rejected say so', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('badrow')
  data.campaigns[0] = campaign('badrow', { fecha_inicio: '2025-03-01' })
  const report = await runImport(connection, companyId, data)
  t.match(report.rejections, [
    { file: 'campaigns', line: 2, campaign: 'badrow', reason: 'fecha_inicio 2025-03-01 is after fecha_fin 2025-02-28' },
    { file: 'periods', line: 2, campaign: 'badrow', reason: /^campaign badrow rejected: campaigns line 2: fecha_inicio/ },
    { file: 'periods', line: 3, campaign: 'badrow' },
    { file: 'sites', line: 2, campaign: 'badrow' },
    { file: 'sites', line: 3, campaign: 'badrow' }
  ])
  t.equal(report.rejections.length, 5)
})

t.test('each row is counted once: read = valid + rejected + duplicates + superseded, also when a kept conflict\'s campaign is rejected later or the lists are cut short', async (t) => {
  const balanced = (report: Awaited<ReturnType<typeof runImport>>, label: string) => {
    for (const [file, f] of Object.entries(report.files)) t.equal(f.rowsValid + f.rowsRejected + f.duplicates + f.superseded, f.rowsRead, `${label}: ${file}`)
  }
  // A campaign conflict and a period conflict resolved by --on-conflict last, then a bad site cell rejects the campaign.
  let data = cleanExport('sup')
  data.campaigns.push(campaign('sup', { alcance: '900' }))
  data.periods.push(period('sup', '2025-01', '1500', '600'))
  data.sites[1] = site('sup', 'sup-SITE-1', '2025-02', { impactos_catorcenal: 'x' })
  let report = await runImport(connection, await newCompany(connection), data, { conflictPolicy: 'last', partial: true })
  t.same(report.campaigns.rejected.map((c) => c.name), ['sup'])
  t.same(report.conflicts.map((c) => c.file), ['campaigns', 'periods'], 'both conflicts were resolved by the policy first')
  t.same(Object.values(report.files).map((f) => f.superseded), [0, 0, 0], 'a rejected campaign\'s versions are rejected rows, not superseded')
  balanced(report, 'superseded, then rejected')

  // A site row conflict kept by --on-conflict last, then a bad period cell rejects the campaign.
  data = cleanExport('supsite')
  data.sites.push(site('supsite', 'supsite-SITE-1', '2025-01', { impactos_catorcenal: '7' }))
  data.periods[1] = period('supsite', '2025-02', '1500', 'x')
  report = await runImport(connection, await newCompany(connection), data, { conflictPolicy: 'last', partial: true })
  balanced(report, 'site row superseded, then rejected')

  // A list cut at one entry: the counts stay exact.
  data = cleanExport('lim')
  data.periods = [period('lim', '2025-01', '1500', '500', 'bogus'), period('lim', '2025-13', '1500', '500'), period('lim', '2025-02', '1500', '500'), period('lim', '2025-02', '1500', '500')]
  report = await runImport(connection, await newCompany(connection), data, { reportLimit: 1 })
  t.equal(report.files.periods.rowsRejected, 4, 'two bad rows, and the campaign\'s other two (one a duplicate) with it')
  t.equal(report.files.periods.duplicates, 0)
  t.equal(report.rejections.length, 1, 'the list is cut')
  balanced(report, 'reportLimit 1')
})

t.test('rows that differ only in how a figure is printed are exact duplicates in every file, not conflicts', async (t) => {
  const data = cleanExport('fmt')
  data.campaigns.push(campaign('fmt', { hombres: `${data.campaigns[0].hombres}0`, frecuencia_calculada: `0${data.campaigns[0].frecuencia_calculada}`, alcance: `${data.campaigns[0].alcance} ` }))
  data.periods.push(period('fmt', '2025-01', '1500.0', '0500'))
  data.sites.push(site('fmt', 'fmt-SITE-1', '2025-01', { per_muj: `${data.sites[0].per_muj}00` }))
  const report = await runImport(connection, await newCompany(connection), data)
  t.equal(report.committed, true, JSON.stringify(report.conflicts))
  t.same(report.conflicts, [])
  t.same(Object.values(report.files).map((f) => f.duplicates), [1, 1, 1])

  // A different figure is still a conflict.
  const changed = cleanExport('fmt2')
  changed.periods.push(period('fmt2', '2025-01', '1500.5', '500'))
  const conflicting = await runImport(connection, await newCompany(connection), changed)
  t.match(conflicting.conflicts, [{ file: 'periods', key: 'fmt2 2025-01' }])
})

t.test('a report names the line a row starts on, also after a multi-line cell in a CRLF file', async (t) => {
  const data = cleanExport('crlf')
  data.sites = [site('crlf', 'crlf-SITE-1', '2025-01', { municipio: 'Benito\r\nJuárez' }), site('crlf', 'crlf-SITE-1', '2025-02', { mes: '2025-01', impactos_catorcenal: 'bad' })]
  const files = { ...streams(data, { crlf: true }), sites: Readable.from([csv(SITE_HEADER, data.sites, { crlf: true })]) }
  const report = await importCampaignFiles(connection, { companyId: await newCompany(connection), files })
  // Line 1 the header, lines 2-3 the first row (its quoted cell holds a line break), line 4 the second row.
  t.match(report.rejections, [{ file: 'sites', line: 4, column: 'impactos_catorcenal' }])
})

t.test('an empty hourly cell is stored as an unknown hour, the others as exported', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('horas')
  data.campaigns[0].hourly_vehicle_count_05 = ''
  const report = await runImport(connection, companyId, data)
  t.equal(report.committed, true)
  const [stored] = (await dumpCompany(connection, companyId)).campaigns
  t.equal(stored.hourly_vehicle_count?.[5], null)
  t.equal(stored.hourly_vehicle_count?.filter((v) => v === null).length, 1)
})
