import { envSchema } from 'env-schema'
import { Type, type Static } from '@sinclair/typebox'
import { trustProxyProblem } from './trust-proxy.js'

/**
 * The one place that reads the environment. Names of the old service are kept
 * (DATABASE_URL, SECRET_KEY, FRONTEND_ORIGINS, LOG_LEVEL, TESTING, ENV).
 */
/** One of some words: an `enum`, so a wrong value gets one error listing them (a union of literals gave one error per literal). */
const OneOf = <const T extends string>(values: readonly T[], options: { default?: T } = {}) => Type.Unsafe<T>({ type: 'string', enum: values, ...options })

export const EnvSchema = Type.Object({
  ENV: OneOf(['development', 'production', 'test'], { default: 'development' }),
  HOST: Type.String({ default: '0.0.0.0' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  LOG_LEVEL: OneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  TESTING: Type.Boolean({ default: false }),

  DATABASE_URL: Type.Optional(Type.String()),
  DATABASE_READ_URL: Type.Optional(Type.String()),
  PGLITE_DATA_DIR: Type.String({ default: './.data/pglite' }),
  DB_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
  DB_CONNECTION_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 3000 }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 0, default: 15000 }),
  HEALTH_TIMEOUT_MS: Type.Integer({ minimum: 50, default: 1500 }),
  SHUTDOWN_DRAIN_MS: Type.Integer({ minimum: 0, maximum: 8000, default: 500 }),
  MIGRATE_ON_START: Type.Optional(Type.Boolean()),
  SEED_ON_START: Type.Optional(Type.Boolean()),

  SECRET_KEY: Type.Optional(Type.String()),
  FRONTEND_ORIGINS: Type.String({ default: '' }),
  ACCESS_TOKEN_EXPIRE_MINUTES: Type.Integer({ minimum: 1, default: 15 }),
  REFRESH_TOKEN_EXPIRE_DAYS: Type.Integer({ minimum: 1, default: 7 }),
  REFRESH_FAMILY_MAX_DAYS: Type.Integer({ minimum: 1, default: 30 }),
  // A rotated refresh token presented again this soon is another tab refreshing, not a replay; 0 disables.
  REFRESH_REUSE_GRACE_SECONDS: Type.Integer({ minimum: 0, maximum: 300, default: 30 }),
  COOKIE_SAMESITE: Type.Optional(OneOf(['none', 'lax', 'strict'])),
  ADMIN_EMAIL: Type.Optional(Type.String()),
  ADMIN_PASSWORD: Type.Optional(Type.String()),
  // The seed puts ADMIN_EMAIL in this company (by id) instead of the default company.
  ADMIN_COMPANY_ID: Type.Optional(Type.Integer({ minimum: 1 })),
  REDIS_URL: Type.Optional(Type.String()),
  REDIS_KEY_PREFIX: Type.String({ default: 'campaign-analytics:' }),
  LOGIN_RATE_LIMIT_PER_IP: Type.Integer({ minimum: 1, default: 100 }),
  TRUST_PROXY: Type.Optional(Type.String()),
  METRICS_TOKEN: Type.Optional(Type.String()),
  /** Serve /metrics without a token in production (only where nobody else can reach it); without either it is closed there. */
  METRICS_PUBLIC: Type.Boolean({ default: false }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 1048576 }),
  UPLOAD_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 50 * 1048576 }),
  // The day the v1 (root) contract stops being served, announced in its Sunset header.
  LEGACY_SUNSET: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' })),

  // Abuse resistance (docs/security.md): what one tenant or caller may take of this instance.
  /** Imports running at once in this instance, each on one pool connection (keep it below DB_POOL_MAX); one more answers 503 at once. */
  IMPORT_CONCURRENCY: Type.Integer({ minimum: 1, default: 2 }),
  /** Heavy reads (the overview, the campaign summaries) that one company runs at once in this instance, */
  HEAVY_CONCURRENCY_PER_COMPANY: Type.Integer({ minimum: 1, default: 2 }),
  /** and how many more of its requests may wait for them; one more answers 429 at once. */
  HEAVY_QUEUE_PER_COMPANY: Type.Integer({ minimum: 0, default: 8 }),
  /** Memory for overview answers kept per company, filters and data version (0 keeps none); each serves until the company's next write. */
  OVERVIEW_CACHE_MB: Type.Integer({ minimum: 0, default: 32 }),
  /** argon2 hashes and verifications at once (default: os.availableParallelism()), */
  ARGON2_CONCURRENCY: Type.Optional(Type.Integer({ minimum: 1 })),
  /** and how many more may wait; one more answers 503 at once. */
  ARGON2_QUEUE_MAX: Type.Integer({ minimum: 0, default: 32 }),
  /** Failed logins per account within 15 minutes from browsers without its device cookie, every address together. */
  LOGIN_FAILURES_PER_ACCOUNT: Type.Integer({ minimum: 1, default: 50 })
})

export type Env = Static<typeof EnvSchema>

/** The validated environment plus the values derived from it once. */
export type Config = Env & {
  isProduction: boolean
  frontendOrigins: string[]
  /** false when SECRET_KEY was not given outside production and a random one was made up. */
  secretKeyFromEnv: boolean
  secretKey: string
}

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const PLACEHOLDER_SECRETS = /^(changeme|change-me|change_me|secret|secret-key|your-secret-key.*|supersecret|mysecret|password|development|dev-secret.*|test|placeholder|replace-me|todo|xxx+)$/i
const MIN_SECRET_BYTES = 32
const POSTGRES_URL = /^postgres(ql)?:\/\//
const DEVELOPMENT_ORIGINS = ['http://localhost:5173', 'http://localhost:3000', 'http://127.0.0.1:5173']

export function parseOrigins (value: string): string[] {
  return value.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean)
}

function productionProblems (env: Env, origins: string[]): string[] {
  const problems: string[] = []
  const secret = env.SECRET_KEY
  if (!secret) problems.push('SECRET_KEY is missing: set it to a random value of at least 32 bytes (e.g. `openssl rand -base64 48`).')
  else if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) problems.push(`SECRET_KEY is ${Buffer.byteLength(secret)} bytes long; at least ${MIN_SECRET_BYTES} are required.`)
  else if (PLACEHOLDER_SECRETS.test(secret) || /change.?(me|this|in.?production)/i.test(secret)) problems.push('SECRET_KEY is a known placeholder: generate a random one.')
  if (origins.length === 0) problems.push('FRONTEND_ORIGINS is empty: list the dashboard origins, comma-separated (e.g. https://dashboard.example.com).')
  if (origins.some((o) => o.includes('*'))) problems.push('FRONTEND_ORIGINS contains "*": list exact origins, since cookies are sent with credentials.')
  if (!env.DATABASE_URL) problems.push('DATABASE_URL is missing: production needs a PostgreSQL server (postgres://user:pass@host:5432/db); the embedded database is for development only.')
  return problems
}

type EnvError = { instancePath: string, keyword: string, message?: string, params: { allowedValues?: unknown[] } }

/** One line per variable, naming the allowed words for a word list (env-schema's own text says "must be equal to one of the allowed values"). */
function schemaProblems (error: Error & { errors?: EnvError[] }, source: Record<string, string | undefined>): string[] {
  if (!error.errors) return [error.message]
  return error.errors.map((e) => {
    const name = e.instancePath.replace(/^\//, '')
    return e.keyword === 'enum' && e.params.allowedValues
      ? `${name} must be one of ${e.params.allowedValues.join(', ')} (got "${source[name]}")`
      : `${name} ${e.message ?? 'is invalid'}`
  })
}

/**
 * NODE_ENV is what hosting platforms, images and Node users set; ENV is the old service's name.
 * NODE_ENV=production alone means production. When both are set and disagree on whether this is
 * production, nothing can tell which one was meant: refuse, saying which to set. (NODE_ENV=test
 * beside ENV=development agree on "not production": ENV decides.)
 */
function environmentOf (source: Record<string, string | undefined>): Record<string, string | undefined> {
  const nodeEnv = source.NODE_ENV || undefined
  const env = source.ENV || undefined
  if (nodeEnv === undefined) return source
  if (env === undefined) return nodeEnv === 'production' ? { ...source, ENV: 'production' } : source
  if ((nodeEnv === 'production') !== (env === 'production')) {
    throw new ConfigError([nodeEnv === 'production'
      ? `NODE_ENV=production but ENV=${env}: set ENV=production (or remove ENV) for production, or unset NODE_ENV for ${env}.`
      : `ENV=production but NODE_ENV=${nodeEnv}: set NODE_ENV=production (or remove NODE_ENV) for production, or set ENV to ${nodeEnv === 'test' ? 'test' : 'development'}.`])
  }
  return source
}

/** Whether the environment asks for production (ENV or NODE_ENV), before any validation. */
export function requestsProduction (source: Record<string, string | undefined>): boolean {
  return source.ENV === 'production' || source.NODE_ENV === 'production'
}

/** Validates `source` (process.env by default) and returns the typed config, or throws ConfigError listing every problem. */
export function loadConfig (source: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env, options: { dotenv?: boolean } = {}): Config {
  const data = normaliseBooleans(environmentOf(source))
  let env: Env
  try {
    env = envSchema<Env>({ schema: EnvSchema, data, env: false, dotenv: options.dotenv ?? false })
  } catch (error) {
    throw new ConfigError(schemaProblems(error as Error & { errors?: EnvError[] }, source))
  }
  const isProduction = env.ENV === 'production'
  const frontendOrigins = parseOrigins(env.FRONTEND_ORIGINS)
  if (isProduction) {
    const problems = productionProblems(env, frontendOrigins)
    if (problems.length > 0) throw new ConfigError(problems)
  }
  const databaseProblems = [
    env.DATABASE_URL && !POSTGRES_URL.test(env.DATABASE_URL) && 'DATABASE_URL must start with postgres:// or postgresql://',
    env.DATABASE_READ_URL && !POSTGRES_URL.test(env.DATABASE_READ_URL) && 'DATABASE_READ_URL must start with postgres:// or postgresql://',
    env.DATABASE_READ_URL && !env.DATABASE_URL && 'DATABASE_READ_URL is a read replica of DATABASE_URL\'s server: set DATABASE_URL too (the embedded database has no replicas).'
  ].filter((problem): problem is string => Boolean(problem))
  if (databaseProblems.length > 0) throw new ConfigError(databaseProblems)
  const trustProblem = trustProxyProblem(env.TRUST_PROXY, isProduction)
  if (trustProblem) throw new ConfigError([trustProblem])
  return {
    ...env,
    isProduction,
    frontendOrigins: frontendOrigins.length > 0 || isProduction ? frontendOrigins : DEVELOPMENT_ORIGINS,
    secretKeyFromEnv: Boolean(env.SECRET_KEY),
    secretKey: env.SECRET_KEY ?? randomDevelopmentSecret()
  }
}

const BOOLEAN_KEYS = Object.entries(EnvSchema.properties)
  .filter(([, schema]) => schema.type === 'boolean')
  .map(([key]) => key)

/** Ajv coerces only "true"/"false"; the old service's users write TESTING=1. Empty values mean unset. */
function normaliseBooleans (source: Record<string, string | undefined>): Record<string, string | undefined> {
  const copy: Record<string, string | undefined> = {}
  for (const [key, value] of Object.entries(source)) {
    if (value === '' || value === undefined) continue
    copy[key] = BOOLEAN_KEYS.includes(key) ? String(/^(1|true|yes|on)$/i.test(value)) : value
  }
  return copy
}

/** Loads the process environment; outside production a `.env` file fills what the environment leaves unset. */
export function loadProcessConfig (): Config {
  return loadConfig(process.env, { dotenv: !requestsProduction(process.env) })
}

function randomDevelopmentSecret (): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url')
}
