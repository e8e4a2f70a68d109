import type { ConflictPolicy } from '../../../schemas/imports.js'

/** One distinct content of a key in a file: the line it first appears on, and the last. */
export type Seen = { line: number, lastLine: number }

/**
 * The version `--on-conflict first|last` keeps: the one the file shows first, or the one on the
 * file's last row for the key (rows A, B, A keep A under "last"). Every file follows this rule.
 */
export function keptVersion<T extends Seen> (versions: T[], policy: Exclude<ConflictPolicy, 'reject'>): T {
  return policy === 'first' ? versions[0] : versions.reduce((kept, v) => v.lastLine > kept.lastLine ? v : kept)
}
