import { sql, type Kysely } from 'kysely'

// Migrations are frozen in time: typed Kysely<any>, never importing the app's types.
// An access token of a user is refused when it was issued at or before the user's
// tokens_valid_after (set by logout, a password change, a deactivation); null: none refused.
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('tokens_valid_after', 'timestamptz').execute()
  // Each instance loads the revocations of the last access-token lifetime when it starts.
  await db.schema.createIndex('users_tokens_valid_after_idx').on('users').column('tokens_valid_after')
    .where(sql.ref('tokens_valid_after'), 'is not', null).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_tokens_valid_after_idx').execute()
  await db.schema.alterTable('users').dropColumn('tokens_valid_after').execute()
}
