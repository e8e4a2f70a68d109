import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import t from 'tap'
import { MINIMUM_NODE_MAJOR, nodeVersionWarning } from '../src/node-version.js'
import { ROOT } from './support/database.js'

const run = promisify(execFile)
const packageJson = (await import('../package.json', { with: { type: 'json' } })).default

t.test('the minimum is the one package.json "engines" states', async (t) => {
  t.equal(packageJson.engines.node, `>=${MINIMUM_NODE_MAJOR}`)
})

t.test('a Node older than the range gets one line naming the Node needed; 22 and newer get none', async (t) => {
  t.equal(nodeVersionWarning('20.20.0'), 'Node.js 20.20.0 is older than this service supports: it needs Node.js 22 or newer (24 LTS is the runtime), and may fail on this one.')
  t.match(nodeVersionWarning('v21.7.3'), /^Node\.js v21\.7\.3 is older than this service supports: it needs Node\.js 22 or newer/)
  t.equal(nodeVersionWarning('22.0.0'), undefined)
  t.equal(nodeVersionWarning('24.22.3'), undefined)
})

t.test('the server entry point says it first, on the Node running this test', async (t) => {
  // ENV=production with nothing else set: the server refuses to start at once, after its first line.
  const result = await run(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: { PATH: process.env.PATH, ENV: 'production' } })
    .then(() => ({ code: 0, stderr: '' }), (error: { code: number, stderr: string }) => error)
  t.not(result.code, 0)
  const firstLine = result.stderr.split('\n')[0]
  const expected = nodeVersionWarning(process.versions.node)
  if (expected) t.equal(firstLine, expected, `Node ${process.versions.node}: warned first`)
  else t.match(firstLine, /^Invalid configuration:/, `Node ${process.versions.node}: no warning, the configuration problem is the first line`)
})
