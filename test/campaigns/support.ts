import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'

export type Row = { id: number, name: string, fecha_inicio: string, fecha_fin: string, tipo_campania: string, impactos_personas: number | null, alcance: number | null }
type Key = 'name' | 'fecha_inicio' | 'impactos_personas' | 'alcance'

/** The documented order computed in the test: (key, id) with NULL greater than every value; name alone (it is unique). */
export function referenceOrder (rows: Row[], sort: string): string[] {
  const desc = sort.startsWith('-')
  const key = sort.replace(/^-/, '') as Key
  const compareKeys = (a: Row, b: Row) => {
    const x = a[key]
    const y = b[key]
    if (x === y) return key === 'name' ? 0 : a.id - b.id
    if (x === null) return 1
    if (y === null) return -1
    return x < y ? -1 : 1
  }
  return [...rows].sort((a, b) => desc ? compareKeys(b, a) : compareKeys(a, b)).map((r) => r.name)
}

/** Follows next_cursor to the end; `between` runs after each page (to insert rows mid-walk). */
export async function walk (t: Test, app: FastifyInstance, authorization: string, query: Record<string, string>, between?: (page: number) => Promise<void>): Promise<string[]> {
  const names: string[] = []
  let cursor: string | null = null
  for (let page = 0; page < 1000; page++) {
    const params: URLSearchParams = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) })
    const response = await app.inject({ url: `/v2/campaigns?${params}`, headers: { authorization } })
    if (response.statusCode !== 200) {
      t.fail(`page ${page} answered ${response.statusCode}: ${response.body}`)
      return names
    }
    const body: { data: Array<{ name: string }>, next_cursor: string | null } = response.json()
    names.push(...body.data.map((c: { name: string }) => c.name))
    cursor = body.next_cursor
    const link = String(response.headers.link ?? '')
    if (cursor && !/^<\/v2\/campaigns\?.*cursor=.*>; rel="next"$/.test(link)) t.fail(`page ${page} has a next_cursor but Link is ${link}`)
    if (!cursor) {
      t.equal(response.headers.link, undefined, 'no Link on the last page')
      return names
    }
    if (between) await between(page)
  }
  t.fail('the walk did not end')
  return names
}

export const get = (app: FastifyInstance, authorization: string, url: string) => app.inject({ url, headers: { authorization } })
