import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

const GOOD_PRODUCTION = {
  ENV: 'production',
  SECRET_KEY: 'k3Jd9-a8f7Hs0dJ2mZpQw4LrT6yUi1OpAsDfGhJkL0',
  FRONTEND_ORIGINS: 'https://dashboard.example.com',
  DATABASE_URL: 'postgres://api@db.example.com:5432/campaigns'
}

function problemsOf (env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

t.test('development defaults need no variables', async (t) => {
  const config = loadConfig({})
  t.equal(config.ENV, 'development')
  t.equal(config.PORT, 3000)
  t.equal(config.HOST, '0.0.0.0')
  t.equal(config.DATABASE_URL, undefined, 'embedded database by default')
  t.equal(config.PGLITE_DATA_DIR, './.data/pglite')
  t.equal(config.secretKeyFromEnv, false)
  t.ok(config.secretKey.length >= 32, 'a random development secret is made up')
  t.ok(config.frontendOrigins.length > 0, 'localhost origins in development')
})

t.test('values are coerced and TESTING=1 is understood', async (t) => {
  const config = loadConfig({ PORT: '8080', TESTING: '1', FRONTEND_ORIGINS: 'https://a.example, https://b.example/' })
  t.equal(config.PORT, 8080)
  t.equal(config.TESTING, true)
  t.same(config.frontendOrigins, ['https://a.example', 'https://b.example'])
})

t.test('a valid production config loads', async (t) => {
  const config = loadConfig(GOOD_PRODUCTION)
  t.equal(config.isProduction, true)
  t.equal(config.secretKeyFromEnv, true)
})

t.test('production refuses to start without SECRET_KEY, FRONTEND_ORIGINS and DATABASE_URL, naming each', async (t) => {
  const problems = problemsOf({ ENV: 'production' })
  t.equal(problems.length, 3)
  t.match(problems.join('\n'), /SECRET_KEY is missing/)
  t.match(problems.join('\n'), /FRONTEND_ORIGINS is empty/)
  t.match(problems.join('\n'), /DATABASE_URL is missing/)
})

t.test('production refuses a short secret', async (t) => {
  t.match(problemsOf({ ...GOOD_PRODUCTION, SECRET_KEY: 'short-secret' }), [/at least 32/])
})

t.test('production refuses placeholder secrets', async (t) => {
  for (const secret of ['your-secret-key-change-this-in-production-please', 'changeme-changeme-changeme-changeme!']) {
    t.match(problemsOf({ ...GOOD_PRODUCTION, SECRET_KEY: secret }), [/placeholder/], secret)
  }
})

t.test('production refuses a wildcard origin', async (t) => {
  t.match(problemsOf({ ...GOOD_PRODUCTION, FRONTEND_ORIGINS: '*' }), [/contains "\*"/])
  t.match(problemsOf({ ...GOOD_PRODUCTION, FRONTEND_ORIGINS: 'https://*.example.com' }), [/contains "\*"/])
})

t.test('postgresql:// URLs are accepted, other schemes are not', async (t) => {
  t.equal(loadConfig({ ...GOOD_PRODUCTION, DATABASE_URL: 'postgresql://u@h/db' }).DATABASE_URL, 'postgresql://u@h/db')
  t.match(problemsOf({ DATABASE_URL: 'mysql://u@h/db' }), [/postgres:\/\//])
})

t.test('a malformed value is reported with its name', async (t) => {
  t.match(problemsOf({ PORT: 'eighty' }), [/PORT/])
  t.match(problemsOf({ LOG_LEVEL: 'loud' }), [/LOG_LEVEL/])
  // A word list names its words, once: not "must be equal to constant" per word.
  t.same(problemsOf({ ENV: 'prod' }), ['ENV must be one of development, production, test (got "prod")'])
  t.same(problemsOf({ LOG_LEVEL: 'verbose' }), ['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")'])
  t.same(problemsOf({ COOKIE_SAMESITE: 'Lax' }), ['COOKIE_SAMESITE must be one of none, lax, strict (got "Lax")'])
})

t.test('the ConfigError message lists every problem on its own line', async (t) => {
  t.throws(() => loadConfig({ ENV: 'production' }), { name: 'ConfigError', message: /Invalid configuration:\n {2}- /m })
})

t.test('NODE_ENV=production alone means production: the production refusals apply', async (t) => {
  const config = loadConfig({ ...GOOD_PRODUCTION, ENV: undefined, NODE_ENV: 'production' })
  t.equal(config.ENV, 'production')
  t.equal(config.isProduction, true)
  t.same(problemsOf({ NODE_ENV: 'production', SECRET_KEY: GOOD_PRODUCTION.SECRET_KEY, FRONTEND_ORIGINS: GOOD_PRODUCTION.FRONTEND_ORIGINS }).length, 1, 'DATABASE_URL is required as with ENV=production')
  t.match(problemsOf({ NODE_ENV: 'production' }).join('\n'), /SECRET_KEY is missing/)
})

t.test('NODE_ENV and ENV agreeing on production load', async (t) => {
  t.equal(loadConfig({ ...GOOD_PRODUCTION, NODE_ENV: 'production' }).isProduction, true)
  t.equal(loadConfig({ NODE_ENV: 'development' }).isProduction, false)
  t.equal(loadConfig({ NODE_ENV: 'test' }).ENV, 'development', 'NODE_ENV=test alone: not production, ENV keeps its default')
  t.equal(loadConfig({ NODE_ENV: 'test', ENV: 'development' }).ENV, 'development', 'both say "not production": ENV decides')
})

t.test('NODE_ENV and ENV disagreeing on production refuse to start, in one message saying which to set', async (t) => {
  t.same(problemsOf({ NODE_ENV: 'production', ENV: 'development' }), [
    'NODE_ENV=production but ENV=development: set ENV=production (or remove ENV) for production, or unset NODE_ENV for development.'
  ])
  t.same(problemsOf({ ...GOOD_PRODUCTION, NODE_ENV: 'development' }), [
    'ENV=production but NODE_ENV=development: set NODE_ENV=production (or remove NODE_ENV) for production, or set ENV to development.'
  ])
  t.same(problemsOf({ ENV: 'production', NODE_ENV: 'test' }), [
    'ENV=production but NODE_ENV=test: set NODE_ENV=production (or remove NODE_ENV) for production, or set ENV to test.'
  ], 'refused before the production checks: one message, not a list of missing secrets')
})

t.test('an empty NODE_ENV is unset', async (t) => {
  t.equal(loadConfig({ NODE_ENV: '', ENV: 'development' }).isProduction, false)
})
