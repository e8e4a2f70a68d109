// Prints the OpenAPI document the app serves at GET /docs/json (or writes it to the file given), for
// the tools clients run against it: `redocly lint` and `openapi-typescript` in .ci/run.
// The app is built as `npm start` builds it, on an in-memory embedded database (nothing is kept).
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'

const [out] = process.argv.slice(2)
const app = await buildApp(loadConfig({ TESTING: '1', LOG_LEVEL: 'silent', SEED_ON_START: 'false' }))
try {
  const response = await app.inject('/docs/json')
  if (response.statusCode !== 200) throw new Error(`GET /docs/json answered ${response.statusCode}: ${response.body}`)
  const text = JSON.stringify(response.json(), null, 2) + '\n'
  if (out) await mkdir(path.dirname(out), { recursive: true }).then(() => writeFile(out, text))
  else process.stdout.write(text)
} finally {
  await app.close()
}
