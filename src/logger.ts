import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'
import type { DestinationStream } from 'pino'
import type { Config } from './config.js'

const MAX_LOGGED_URL_CHARS = 500

/** Paths never written to a log line: credentials travel in these. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.access_token',
  '*.refresh_token',
  '*.token'
]

function prettyAvailable (): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty')
    return true
  } catch {
    return false
  }
}

/** pino options: JSON lines in production, pretty on a development terminal, level from LOG_LEVEL. */
export function loggerOptions (config: Config, stream?: DestinationStream): FastifyServerOptions['logger'] | { stream: DestinationStream } {
  const base = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (request: { method: string, url: string, routeOptions?: { url?: string }, ip?: string }) => ({
        method: request.method,
        // A URL can be 16 KB (Node's header limit): log lines stay small whatever the client sends.
        url: request.url.split('?')[0].slice(0, MAX_LOGGED_URL_CHARS),
        route: request.routeOptions?.url,
        ip: request.ip
      })
    }
  }
  if (stream) return { ...base, stream }
  const pretty = !config.isProduction && !config.TESTING && process.stdout.isTTY && prettyAvailable()
  return pretty ? { ...base, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } } : base
}
