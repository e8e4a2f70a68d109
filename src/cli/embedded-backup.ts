import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

/** backup.sh and restore.sh, both from src/cli (tsx) and from dist/src/cli (compiled). */
export function scriptPath (name: 'backup.sh' | 'restore.sh'): string {
  const candidates = [new URL(`../../scripts/${name}`, import.meta.url), new URL(`../../../scripts/${name}`, import.meta.url)].map((url) => fileURLToPath(url))
  return candidates.find((file) => existsSync(file)) ?? candidates[0]
}

export const EMBEDDED_SUFFIX = '.pglite.tar.gz'

/** The file name of a backup of the embedded database taken now, in backup.sh's naming. */
export function embeddedBackupName (prefix: string, now = new Date()): string {
  return `${prefix}-${now.toISOString().replace(/[-:]/g, '')}${EMBEDDED_SUFFIX}`
}

/** The embedded backups of one series in dir, oldest first (the timestamp sorts as text). */
export function embeddedBackups (dir: string, prefix: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith(`${prefix}-`) && f.endsWith(EMBEDDED_SUFFIX)).sort().map((f) => path.join(dir, f))
}

/** A data directory holds a database when it has files. */
export function holdsDatabase (dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0
}
