import { sql, type Kysely } from 'kysely'

// Migrations are frozen in time: typed Kysely<any>, never importing the app's types.
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('companies')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`length(btrim(name)) between 1 and 200`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('companies_name_key').on('companies').unique().expression(sql`lower(name)`).execute()

  await db.schema.createTable('users')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('company_id', 'bigint', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull().check(sql`email = lower(btrim(email)) and length(email) <= 254`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('viewer').check(sql`role in ('viewer', 'admin', 'owner')`))
    .addColumn('is_active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Emails are stored normalised (the CHECK above); the unique index on lower() makes the rule explicit.
  await db.schema.createIndex('users_email_key').on('users').unique().expression(sql`lower(email)`).execute()
  await db.schema.createIndex('users_company_id_idx').on('users').column('company_id').execute()

  await db.schema.createTable('refresh_tokens')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('family_id', 'uuid', (c) => c.notNull())
    .addColumn('parent_id', 'bigint', (c) => c.references('refresh_tokens.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('family_expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('refresh_tokens_token_hash_key').on('refresh_tokens').column('token_hash').unique().execute()
  await db.schema.createIndex('refresh_tokens_user_expires_idx').on('refresh_tokens').columns(['user_id', 'expires_at']).execute()
  await db.schema.createIndex('refresh_tokens_family_idx').on('refresh_tokens').column('family_id').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('refresh_tokens').execute()
  await db.schema.dropTable('users').execute()
  await db.schema.dropTable('companies').execute()
}
