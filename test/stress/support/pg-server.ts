import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** The bin folder of the newest installed PostgreSQL (Debian layout), or undefined. */
export function findPostgresBin (): string | undefined {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return versions.length ? path.join(root, versions[0], 'bin') : undefined
}

export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

function osUser (): { uid: number, gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim()))
  return { uid, gid }
}

/**
 * A PostgreSQL cluster of its own in a temporary folder, on its own port, which a test may stop
 * and start at will. PostgreSQL refuses to run as root, so as root it runs as the postgres user.
 */
export class ThrowawayPostgres {
  readonly dir: string
  readonly data: string
  private constructor (readonly bin: string, readonly port: number, private readonly owner?: { uid: number, gid: number }) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'stress-pg-'))
    this.data = path.join(this.dir, 'data')
    if (owner) chownSync(this.dir, owner.uid, owner.gid)
  }

  static async create (bin: string): Promise<ThrowawayPostgres> {
    const server = new ThrowawayPostgres(bin, await freePort(), osUser())
    await server.exec('initdb', ['-D', server.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'])
    return server
  }

  get url (): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`
  }

  private async exec (tool: string, args: string[]): Promise<string> {
    const file = path.join(this.bin, tool)
    const [command, argv] = this.owner ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args]
    const { stdout } = await run(command, argv, { timeout: 60_000 })
    return stdout
  }

  async start (): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`
    await this.exec('pg_ctl', ['-D', this.data, '-l', path.join(this.dir, 'server.log'), '-o', options, '-w', '-t', '30', 'start'])
  }

  /** fast: active sessions are terminated and in-flight transactions rolled back, as in a failover. */
  async stop (mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '30', 'stop'])
  }

  /** Stops the server if it runs and deletes the folder; safe to call more than once. */
  async remove (): Promise<void> {
    if (existsSync(path.join(this.data, 'postmaster.pid'))) await this.stop('immediate').catch(() => {})
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** The synchronous last resort for process exit (teardown did not run). */
  removeSync (): void {
    try {
      if (existsSync(path.join(this.data, 'postmaster.pid'))) {
        const file = path.join(this.bin, 'pg_ctl')
        const args = ['-D', this.data, '-m', 'immediate', 'stop']
        if (this.owner) execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'ignore' })
        else execFileSync(file, args, { stdio: 'ignore' })
      }
    } catch {}
    rmSync(this.dir, { recursive: true, force: true })
  }
}
