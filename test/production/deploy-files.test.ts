import { readFileSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { ROOT } from '../support/database.js'

type EnvVar = { key: string, value?: string, sync?: boolean, generateValue?: boolean, fromDatabase?: { name: string, property: string }, fromService?: { type: string, name: string, envVarKey: string } }
type Service = { type: string, name: string, runtime?: string, healthCheckPath?: string, preDeployCommand?: string, schedule?: string, dockerCommand?: string, envVars?: EnvVar[] }
type Blueprint = { services: Service[], databases: Array<{ name: string, postgresMajorVersion?: string }> }

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8')
const blueprint = parse(read('render.yaml')) as Blueprint
const env = (service: Service, key: string) => service.envVars?.find((v) => v.key === key)

t.test('render.yaml: the Docker web service with health check, pre-deploy migrations and its settings', async (t) => {
  const web = blueprint.services.filter((s) => s.type === 'web')
  t.equal(web.length, 1)
  const api = web[0]
  t.equal(api.runtime, 'docker')
  t.equal(api.healthCheckPath, '/health')
  t.equal(api.preDeployCommand, 'node dist/src/cli/migrate.js')
  t.same(env(api, 'DATABASE_URL')?.fromDatabase, { name: blueprint.databases[0].name, property: 'connectionString' })
  t.equal(env(api, 'SECRET_KEY')?.generateValue, true)
  t.equal(env(api, 'ENV')?.value, 'production')
  for (const key of ['FRONTEND_ORIGINS', 'ADMIN_EMAIL', 'ADMIN_PASSWORD']) t.equal(env(api, key)?.sync, false, `${key} is set in the dashboard`)
  // Render's chain is Cloudflare's edge, then Render's proxy: two hops, whose addresses Render does not publish (docs/security.md).
  t.equal(env(api, 'TRUST_PROXY')?.value, '2', 'TRUST_PROXY counts Render\'s two proxies (never "true": that believes the client\'s own X-Forwarded-For)')
})

t.test('render.yaml: the managed PostgreSQL, a daily cleanup cron and a manual seed job', async (t) => {
  t.equal(blueprint.databases.length, 1)
  t.ok(blueprint.databases[0].postgresMajorVersion)
  const crons = blueprint.services.filter((s) => s.type === 'cron')
  const cleanup = crons.find((s) => s.dockerCommand === 'node dist/src/cli/cleanup-refresh-tokens.js')
  t.ok(cleanup, 'cleanup job')
  t.match(cleanup?.schedule, /^\d+ \d+ \* \* \*$/, 'once a day')
  const seed = crons.find((s) => s.dockerCommand === 'node dist/src/cli/seed.js')
  t.ok(seed, 'seed job')
  t.equal(seed?.schedule, '0 0 31 2 *', 'never fires by itself: run by hand')
  for (const job of [cleanup, seed]) {
    t.ok(env(job!, 'DATABASE_URL')?.fromDatabase, `${job?.name} reaches the database`)
    t.equal(env(job!, 'SECRET_KEY')?.fromService?.envVarKey, 'SECRET_KEY', `${job?.name} shares the API's secret`)
    t.equal(env(job!, 'ENV')?.value, 'production')
  }
})

t.test('docker-compose.prod.yml: migrate runs once before the API, cleanup uses the CLI, no secret is written down', async (t) => {
  const compose = parse(read('docker-compose.prod.yml'), { merge: true }) as { services: Record<string, { command?: string[], depends_on?: Record<string, { condition: string }>, environment?: Record<string, string> }> }
  const { api, migrate, cleanup, db } = compose.services
  t.same(migrate.command, ['node', 'dist/src/cli/migrate.js'])
  t.equal(api.depends_on?.migrate?.condition, 'service_completed_successfully')
  t.match(cleanup.command?.join(' '), /node dist\/src\/cli\/cleanup-refresh-tokens\.js/)
  t.ok(db)
  for (const key of ['SECRET_KEY', 'FRONTEND_ORIGINS']) t.match(api.environment?.[key], /^\$\{[A-Z_]+:\?/, `${key} must come from the environment`)
})

t.test('Dockerfile: non-root, health check on /health/live, SIGTERM through an init', async (t) => {
  const dockerfile = read('Dockerfile')
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
  t.match(runtime, /^USER node$/m)
  t.match(runtime, /^HEALTHCHECK .*\n?.*\/health\/live/m)
  t.match(runtime, /^STOPSIGNAL SIGTERM$/m)
  t.match(runtime, /^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m)
  const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1]
  // `exec` replaces npm's shell with node, so the SIGTERM npm passes on reaches the server.
  const startProd = JSON.parse(read('package.json')).scripts['start:prod'] as string
  t.match(startProd, /^exec node /)
  t.same(cmd && JSON.parse(cmd), startProd.replace(/^exec /, '').split(' '), 'the image runs `npm run start:prod`\'s command, which the benchmark measures')
  t.match(cmd, /"dist\/src\/server\.js"\]$/)
  t.notMatch(runtime, /npm (ci|install)/, 'the runtime stage installs nothing from npm')
  const ignored = read('.dockerignore').split('\n')
  for (const entry of ['.env', 'node_modules', '.git', '.data']) t.ok(ignored.includes(entry), `${entry} stays out of the build context`)
  t.ok(read('.gitignore').split('\n').includes('.env'), '.env is never committed')
})
