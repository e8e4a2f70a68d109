import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../db/schema.js'

/** A company found by name (case-insensitive, as the unique index compares) or created: the import target, the default company. */
export async function findOrCreateCompany (db: Kysely<Database> | Transaction<Database>, name: string): Promise<{ id: number, created: boolean }> {
  const found = await db.selectFrom('companies').select('id').where(sql`lower(name)`, '=', name.trim().toLowerCase()).executeTakeFirst()
  if (found) return { id: found.id, created: false }
  const inserted = await db.insertInto('companies').values({ name: name.trim() })
    .onConflict((oc) => oc.expression(sql`lower(name)`).doNothing())
    .returning('id').executeTakeFirst()
  if (inserted) return { id: inserted.id, created: true }
  // Another process created it between the two statements.
  const raced = await db.selectFrom('companies').select('id').where(sql`lower(name)`, '=', name.trim().toLowerCase()).executeTakeFirstOrThrow()
  return { id: raced.id, created: false }
}
