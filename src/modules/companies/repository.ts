import { CompiledQuery, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../db/schema.js'

/** Runs one SQL statement: a Kysely instance's, or an open client's (the importer's transaction). */
export type RunQuery = <R extends Record<string, unknown>>(text: string, params: unknown[]) => Promise<{ rows: R[] }>

// Names compare case-insensitively, as the unique index on lower(name) does.
const FIND = 'select id from companies where lower(name) = lower($1)'
const CREATE = 'insert into companies (name) values ($1) on conflict (lower(name)) do nothing returning id'

/** A company found by name or created: the import target, the default company. */
export async function findOrCreateCompanyWith (run: RunQuery, name: string): Promise<{ id: number, created: boolean }> {
  const trimmed = name.trim()
  const [found] = (await run<{ id: number }>(FIND, [trimmed])).rows
  if (found) return { id: found.id, created: false }
  const [inserted] = (await run<{ id: number }>(CREATE, [trimmed])).rows
  if (inserted) return { id: inserted.id, created: true }
  // Another process created it between the two statements.
  const [raced] = (await run<{ id: number }>(FIND, [trimmed])).rows
  return { id: raced.id, created: false }
}

export async function findOrCreateCompany (db: Kysely<Database> | Transaction<Database>, name: string): Promise<{ id: number, created: boolean }> {
  return findOrCreateCompanyWith(runOn(db), name)
}

export async function companyExists (db: Kysely<Database>, name: string): Promise<boolean> {
  return (await runOn(db)(FIND, [name.trim()])).rows.length > 0
}

/** The company of this name (case-insensitively) with how many users it has, or undefined. */
export async function companyByName (db: Kysely<Database>, name: string): Promise<{ id: number, users: number } | undefined> {
  const [row] = (await runOn(db)<{ id: number, users: number }>(
    'select c.id, (select count(*)::int from users u where u.company_id = c.id) as users from companies c where lower(c.name) = lower($1)', [name.trim()])).rows
  return row && { id: Number(row.id), users: row.users }
}

export async function companyById (db: Kysely<Database>, id: number): Promise<{ id: number, name: string } | undefined> {
  const [row] = (await runOn(db)<{ id: number, name: string }>('select id, name from companies where id = $1', [id])).rows
  return row && { id: Number(row.id), name: row.name }
}

function runOn (db: Kysely<Database> | Transaction<Database>): RunQuery {
  return async <R extends Record<string, unknown>>(text: string, params: unknown[]) => db.executeQuery<R>(CompiledQuery.raw(text, params))
}
