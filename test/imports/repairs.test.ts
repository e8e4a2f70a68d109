import t from 'tap'
import { openTestDatabase } from '../helper.js'
import { campaign, cleanExport, dumpCompany, newCompany, period, periodText, runImport, site } from './fixtures.js'

// Each defect class of the real exports: repaired when a rule proves the value, else rejected;
// either way with its report entry.

const connection = await openTestDatabase()
t.teardown(() => connection.close())

t.test('a clean export loads as printed, with nothing to report', async (t) => {
  const companyId = await newCompany(connection)
  const report = await runImport(connection, companyId, cleanExport('clean'))
  t.equal(report.committed, true)
  t.same(report.repairs, [])
  t.same(report.rejections, [])
  t.same(Object.values(report.files).map((f) => [f.rowsRead, f.rowsLoaded]), [[1, 1], [2, 2], [2, 2]])
  t.equal(report.crossChecks[0].mapping, 'as-labelled')
  const dump = await dumpCompany(connection, companyId)
  t.equal(dump.campaigns[0].hourly_vehicle_count?.length, 24)
  t.same(dump.periods.map((p) => [p.impactos_periodo_personas, p.impactos_periodo_vehiculos]), [[1500, 500], [1500, 500]])
  t.equal(dump.sites[0].disponible, true)
})

t.test('spreadsheet date serials are recovered exactly, in any integer column of any file', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('serial')
  // 1904-02-08 is day 1500 and 1901-05-14 day 500 from 1899-12-30.
  data.periods[0] = period('serial', '2025-01', '1904-02-08', '1901-05-14')
  data.campaigns[0].hourly_vehicle_count_05 = '1900-04-09'
  data.sites[0].impactos_catorcenal = '1900-01-01'
  const report = await runImport(connection, companyId, data)
  t.equal(report.committed, true)
  t.same(report.repairs.map((r) => [r.file, r.line, r.column, r.raw, r.recovered, r.rule]), [
    ['campaigns', 2, 'hourly_vehicle_count_05', '1900-04-09', '100', 'spreadsheet-date-serial'],
    ['periods', 2, 'impactos_periodo_personas', '1904-02-08', '1500', 'spreadsheet-date-serial'],
    ['periods', 2, 'impactos_periodo_vehiculos', '1901-05-14', '500', 'spreadsheet-date-serial'],
    ['sites', 2, 'impactos_catorcenal', '1900-01-01', '2', 'spreadsheet-date-serial']
  ])
  const dump = await dumpCompany(connection, companyId)
  t.equal(dump.campaigns[0].hourly_vehicle_count?.[5], 100)
  t.same(dump.periods.map((p) => p.impactos_periodo_personas), [1500, 1500])
  t.same(dump.facts.map((f) => f.impactos_catorcenal).sort(), [1483482, 2])
})

t.test('swapped impact columns are swapped back when, and only when, the totals confirm it', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('swapped')
  data.periods = [period('swapped', '2025-01', '400', '1200'), period('swapped', '2025-02', '600', '1800')]
  const report = await runImport(connection, companyId, data)
  t.equal(report.crossChecks[0].mapping, 'swapped')
  t.same(report.crossChecks[0].impactosPersonas, { total: '3000', sum: '3000' })
  t.equal(report.repairs.filter((r) => r.rule === 'swapped-impact-columns').length, 4)
  t.same(report.repairs[0], { file: 'periods', line: 2, column: 'impactos_periodo_personas', raw: '400', recovered: '1200', rule: 'swapped-impact-columns', detail: 'stored as impactos_periodo_vehiculos: the campaign totals confirm the columns are swapped' })
  t.same(await periodText(connection, companyId, 'swapped'), [
    { period: '2025-01', personas: '1200', vehiculos: '400' }, { period: '2025-02', personas: '1800', vehiculos: '600' }
  ])

  const unconfirmed = cleanExport('unconfirmed')
  unconfirmed.periods = [period('unconfirmed', '2025-01', '400', '1200'), period('unconfirmed', '2025-02', '600', '1700')]
  const second = await runImport(connection, companyId, unconfirmed)
  t.equal(second.crossChecks[0].mapping, 'unconfirmed')
  t.same(second.repairs, [], 'values that can be true are stored as labelled, not swapped on a guess')
  t.match(second.warnings, [{ code: 'totals-mismatch', campaign: 'unconfirmed' }])
})

t.test('a lost decimal point is restored where the totals confirm it, stored exactly as the digits say', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('decimal')
  data.campaigns[0] = campaign('decimal', { impactos_personas: '16708405', impactos_vehiculos: '12100000' })
  data.periods = [
    period('decimal', '2025-01', '8426029746377468', '1178398706098199'),
    period('decimal', '2025-02', '3673970253622532', '492441793901801')
  ]
  const report = await runImport(connection, companyId, data)
  t.equal(report.committed, true)
  t.equal(report.crossChecks[0].mapping, 'swapped')
  t.same(report.repairs.filter((r) => r.rule === 'lost-decimal-point').map((r) => [r.line, r.raw, r.recovered]), [
    [2, '1178398706098199', '11783987.06098199'],
    [2, '8426029746377468', '8426029.746377468'],
    [3, '492441793901801', '4924417.93901801'],
    [3, '3673970253622532', '3673970.253622532']
  ])
  t.same(await periodText(connection, companyId, 'decimal'), [
    { period: '2025-01', personas: '11783987.06098199', vehiculos: '8426029.746377468' },
    { period: '2025-02', personas: '4924417.93901801', vehiculos: '3673970.253622532' }
  ])
})

t.test('digits that no decimal point makes add up to the totals are rejected, with their campaign', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('nodecimal')
  data.periods = [period('nodecimal', '2025-01', '8426029746377468', '500'), period('nodecimal', '2025-02', '1500', '500')]
  const strict = await runImport(connection, companyId, data)
  t.equal(strict.committed, false)
  t.match(strict.rejections, [{ file: 'periods', line: 2, campaign: 'nodecimal', reason: /exceeds the campaign total/ }])
  t.same(strict.campaigns.rejected.map((c) => c.name), ['nodecimal'])
  t.same((await dumpCompany(connection, companyId)).campaigns, [], 'without --partial a rejection stores nothing')
})

t.test('a value invalid for its column rejects the row with the column, raw value and reason', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('invalid')
  const good = cleanExport('good')
  data.sites[1] = site('invalid', 'invalid-SITE-1', '2025-02', { nivel_socioeconomico_ab: '1.7' })
  const all = { campaigns: [...data.campaigns, ...good.campaigns], periods: [...data.periods, ...good.periods], sites: [...data.sites, ...good.sites] }
  const report = await runImport(connection, companyId, all, { partial: true })
  t.same(report.rejections.find((r) => r.line === 3 && r.file === 'sites'), {
    file: 'sites', line: 3, campaign: 'invalid', column: 'nivel_socioeconomico_ab', raw: '1.7', reason: 'nivel_socioeconomico_ab: share 1.7 is outside 0..1'
  })
  t.equal(report.committed, true)
  t.same(report.campaigns.accepted, ['good'])
  t.same(report.campaigns.rejected.map((c) => c.name), ['invalid'])
  t.same((await dumpCompany(connection, companyId)).campaigns.map((c) => c.name), ['good'], '--partial stores the valid campaigns only')
})

t.test('empty optional cells are stored as unknown, and usage dates outside the flight are a warning', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('gaps')
  data.sites[0] = site('gaps', 'gaps-SITE-1', '2025-01', { mes: '', impactos_mensuales: '', alcance_mensual: '', fecha_uso_fin: '2025-03-15' })
  const report = await runImport(connection, companyId, data)
  t.equal(report.committed, true)
  t.match(report.warnings, [{ file: 'sites', line: 2, campaign: 'gaps', code: 'usage-outside-flight' }])
  const fact = (await dumpCompany(connection, companyId)).facts.find((f) => f.id_fourteen === '2025-01')
  t.same([fact?.mes, fact?.impactos_mensuales, fact?.alcance_mensual, fact?.fecha_uso_fin], [null, null, null, '2025-03-15'])
})

// Cells the database would refuse: each is rejected with its reason, so the import reports instead of failing.
t.test('values PostgreSQL cannot store are rejected row by row, never a failed import', async (t) => {
  const tooSmall = '0.' + '0'.repeat(400) + '1'
  const cases: Array<[string, (data: ReturnType<typeof cleanExport>, name: string) => void, { file: string, line: number, reason: RegExp }]> = [
    ['a site code longer than 200 characters', (data, name) => {
      data.sites[1] = site(name, 'S'.repeat(201), '2025-02', { mes: '2025-01' })
    }, { file: 'sites', line: 3, reason: /^codigo_del_sitio: text longer than 200 characters/ }],
    ['a NUL character in a text cell', (data, name) => {
      data.sites[1] = site(name, `${name}-SITE-2`, '2025-02', { mes: '2025-01', municipio: 'Cuauht\u0000emoc' })
    }, { file: 'sites', line: 3, reason: /^municipio: contains a NUL character/ }],
    ['a number that underflows a double', (data, name) => {
      data.sites[1] = site(name, `${name}-SITE-1`, '2025-02', { mes: '2025-01', frecuencia_catorcenal: '1e-400' })
    }, { file: 'sites', line: 3, reason: /^frecuencia_catorcenal: "1e-400" is not a non-negative number/ }],
    ['a share that underflows a double', (data, name) => {
      data.sites[1] = site(name, `${name}-SITE-1`, '2025-02', { mes: '2025-01', per_muj: tooSmall })
    }, { file: 'sites', line: 3, reason: /^per_muj: ".+" is not a non-negative number/ }],
    ['a date serial whose year is too large to recover exactly', (data, name) => {
      data.campaigns[0] = campaign(name, { universo_zona_metro: '30000000000000-01-01' })
    }, { file: 'campaigns', line: 2, reason: /^universo_zona_metro: "30000000000000-01-01" is not a non-negative integer/ }],
    ['a campaign named ".." (no URL reaches it)', (data) => {
      data.campaigns[0] = campaign('..')
    }, { file: 'campaigns', line: 2, reason: /^name ".." cannot be addressed in a URL/ }],
    ['a period figure with more digits than a numeric holds', (data, name) => {
      data.periods[0] = period(name, '2025-01', '1500.' + '0'.repeat(17_000), '500')
    }, { file: 'periods', line: 2, reason: /longer than any figure can be/ }]
  ]
  for (const [label, alter, rejection] of cases) {
    const companyId = await newCompany(connection)
    const name = `refused-${cases.findIndex(([l]) => l === label)}`
    const data = cleanExport(name)
    alter(data, name)
    const report = await runImport(connection, companyId, data)
    t.equal(report.committed, false, `${label}: a rejection stores nothing without --partial`)
    t.match(report.rejections, [rejection], label)
    t.same((await dumpCompany(connection, companyId)).campaigns, [], `${label}: nothing stored`)
  }
})

t.test('an empty periods cell declares no period codes: stored as an empty list, not a failed import', async (t) => {
  const companyId = await newCompany(connection)
  const data = cleanExport('sin-periodos')
  data.campaigns[0] = campaign('sin-periodos', { periods: '' })
  const report = await runImport(connection, companyId, data)
  t.equal(report.committed, true)
  t.same(report.rejections, [])
  t.same((await dumpCompany(connection, companyId)).campaigns.map((c) => c.periods), [[]])
})

// data-formats: frecuencia_calculada = impactos_personas / alcance (3000 / 850 in the fixtures).
t.test('frecuencia_calculada: a lost decimal point is placed where impacts / reach confirms it; a contradiction is stored as exported and flagged', async (t) => {
  const exported = (name: string, cells: Record<string, string>) => ({ ...cleanExport(name), campaigns: [campaign(name, cells)] })
  const frequencies = async (companyId: number) => (await dumpCompany(connection, companyId)).campaigns.map((c) => Number(c.frecuencia_calculada))

  const lost = await newCompany(connection)
  const repaired = await runImport(connection, lost, exported('freq-lost', { frecuencia_calculada: '35294117647' }))
  t.same(repaired.repairs, [{ file: 'campaigns', line: 2, column: 'frecuencia_calculada', raw: '35294117647', recovered: '3.5294117647', rule: 'lost-decimal-point', detail: 'the point placed where the value equals impactos_personas / alcance (3.52941176471)' }])
  t.same(repaired.warnings, [])
  t.equal(repaired.files.campaigns.rowsRepaired, 1)
  t.same(await frequencies(lost), [3.5294117647])

  const rounded = await newCompany(connection)
  const agreeing = await runImport(connection, rounded, exported('freq-ok', { frecuencia_calculada: '3.529412' }))
  t.same([agreeing.repairs, agreeing.warnings], [[], []], 'agrees to its printed precision: nothing to say')

  const tenfold = await newCompany(connection)
  const flagged = await runImport(connection, tenfold, exported('freq-ten', { alcance: '85' }))
  t.equal(flagged.committed, true, 'a warning, not a rejection')
  t.match(flagged.warnings, [{ file: 'campaigns', line: 2, campaign: 'freq-ten', code: 'frequency-mismatch', message: /^impactos_personas \/ alcance is 35\.2941, 10 times frecuencia_calculada 3\.5: one of the three figures may have lost a decimal point/ }])
  t.same(await frequencies(tenfold), [3.5], 'stored as exported')

  const unrelated = await newCompany(connection)
  const contradicted = await runImport(connection, unrelated, exported('freq-bad', { frecuencia_calculada: '9.9' }))
  t.match(contradicted.warnings, [{ code: 'frequency-mismatch', message: /^impactos_personas \/ alcance is 3\.52941, not frecuencia_calculada 9\.9: stored as exported$/ }])
  t.same(contradicted.repairs, [])
})
