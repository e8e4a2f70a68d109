import { isDeepStrictEqual } from 'node:util'
import pg from 'pg'
import type { Compilable, CompiledQuery, Kysely } from 'kysely'

/** Statement name by SQL text, for the texts run as named prepared statements. */
const statementNames = new Map<string, string>()

/**
 * pg's Client, except that a text registered by preparedQuery runs as a named prepared statement:
 * each pooled connection parses and plans it once, then only binds and executes it. Kysely passes
 * (text, values) to client.query and has no way to name a statement, so the pool builds these.
 * Behind PgBouncer, named statements need transaction pooling with max_prepared_statements
 * (1.21+) or session pooling.
 */
export class PreparingClient extends pg.Client {
  override query (...args: any[]): any {
    const name = args.length === 2 && typeof args[0] === 'string' ? statementNames.get(args[0]) : undefined
    if (name === undefined) return (super.query as (...a: unknown[]) => unknown)(...args)
    return super.query({ name, text: args[0], values: args[1] })
  }
}

/**
 * A query whose SQL never changes, only its parameters: Kysely builds and compiles it once (with
 * `example`, whose values must come out as the compiled parameters, in order) and every call
 * executes that text, by name, with its own parameters. For statements that PostgreSQL takes as
 * long to plan as to run.
 */
export function preparedQuery<Db, Params extends readonly unknown[], Row> (
  name: string,
  build: (db: Kysely<Db>, ...params: Params) => Compilable<Row>,
  example: Params
) {
  let compiled: CompiledQuery<Row> | undefined
  return async (db: Kysely<Db>, ...params: Params): Promise<Row[]> => {
    if (!compiled) {
      const built = build(db, ...example).compile()
      if (!isDeepStrictEqual(built.parameters, example)) {
        throw new Error(`preparedQuery ${name}: the compiled parameters ${JSON.stringify(built.parameters)} are not the example's ${JSON.stringify(example)}`)
      }
      statementNames.set(built.sql, name)
      compiled = built
    }
    const { rows } = await db.executeQuery<Row>({ ...compiled, parameters: params })
    return rows
  }
}
