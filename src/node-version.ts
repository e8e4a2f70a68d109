/**
 * The Node.js range the dependency tree declares (package.json "engines": cookie@2 and
 * content-disposition@3, production dependencies, need 22). Imported first by every entry point,
 * so on an older Node the one line below is the first thing said, before anything can fail on it.
 * It warns rather than refuses: the service still runs on Node 20 today (CI's other pass proves it).
 */
export const MINIMUM_NODE_MAJOR = 22

/** The warning for a Node version outside the range, or undefined inside it. */
export function nodeVersionWarning (version: string): string | undefined {
  const major = Number(version.replace(/^v/, '').split('.')[0])
  if (major >= MINIMUM_NODE_MAJOR) return undefined
  return `Node.js ${version} is older than this service supports: it needs Node.js ${MINIMUM_NODE_MAJOR} or newer (24 LTS is the runtime), and may fail on this one.`
}

const warning = nodeVersionWarning(process.versions.node)
if (warning) console.error(warning)
