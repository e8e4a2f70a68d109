import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type TSchema } from '@sinclair/typebox'
import { BEARER_SECURITY, COMMON_PROBLEMS, problemResponses } from '../../../schemas/common.js'
import type { DatabaseConnection } from '../../db/engine.js'
import { badRequest, HttpProblem } from '../../errors.js'
import { ImportFileError } from './csv.js'
import { ImportQuery, type ConflictPolicy, type ImportQueryType } from '../../../schemas/imports.js'
import { textPartValidator } from '../../validators.js'

const KINDS = ['campaigns', 'periods', 'sites'] as const

const UploadBody = Type.Object({
  campaigns: Type.String({ format: 'binary', description: 'bd_campanias_agrupado.csv' }),
  periods: Type.String({ format: 'binary', description: 'bd_campanias_periodos.csv' }),
  sites: Type.String({ format: 'binary', description: 'bd_campanias_sitios.csv' })
})
type Kind = typeof KINDS[number]

/** The importer's entry point (`importCampaignFiles`), taken as an option so tests can stand in for it. */
export type ImportFiles = (connection: DatabaseConnection, options: { companyId: number, files: Record<Kind, string>, sourceNames: Record<Kind, string>, partial: boolean, conflictPolicy?: ConflictPolicy }) => Promise<unknown>
export type ImportRoutesOptions = { importFiles: ImportFiles, reportSchema: TSchema, uploadLimitBytes: number }

/** The name an upload is reported by: the client's file name without any folder, bounded, or the field's name. */
function uploadName (kind: Kind, filename: string | undefined): string {
  const base = (filename ?? '').split(/[\\/]/).pop()?.trim().slice(0, 255)
  return base || `${kind} (upload)`
}

async function spoolParts (request: FastifyRequest, directory: string, names: Partial<Record<Kind, string>>): Promise<Partial<Record<Kind, string>>> {
  const files: Partial<Record<Kind, string>> = {}
  for await (const part of request.parts()) {
    const kind = part.fieldname as Kind
    if (part.type !== 'file' || !KINDS.includes(kind)) throw badRequest(`Unexpected field "${part.fieldname}": send only the files ${KINDS.join(', ')}.`, [{ field: `body.${part.fieldname}`, message: 'is not a known field' }])
    if (files[kind]) throw badRequest(`The file ${kind} was sent twice.`, [{ field: `body.${kind}`, message: 'was sent twice' }])
    const target = path.join(directory, `${kind}.csv`)
    await pipeline(part.file, createWriteStream(target, { mode: 0o600 }))
    files[kind] = target
    names[kind] = uploadName(kind, part.filename)
  }
  return files
}

/**
 * POST /imports: the three CSV exports as multipart file fields named campaigns, periods and
 * sites. The importer reads campaigns before periods before sites while a multipart body
 * arrives in the client's order, so each part is spooled to a private temporary directory
 * (bounded by uploadLimitBytes per file: 413 past it) and removed afterwards.
 */
export default async function importRoutes (app: FastifyInstance, { importFiles, reportSchema, uploadLimitBytes }: ImportRoutesOptions) {
  await app.register(multipart, { limits: { fileSize: uploadLimitBytes, files: KINDS.length, fields: 0, parts: KINDS.length } })

  app.post('/imports', {
    onRequest: app.requireRole('admin'),
    schema: {
      tags: ['imports'],
      summary: 'Import the three CSV exports (admin or owner): one transaction, the importer\'s report back',
      description: `multipart/form-data with the file fields ${KINDS.join(', ')}; at most ${uploadLimitBytes} bytes each.`,
      security: BEARER_SECURITY,
      consumes: ['multipart/form-data'],
      querystring: ImportQuery,
      body: UploadBody,
      response: { 200: { ...reportSchema, description: 'The import report (committed: false means nothing was stored)' }, ...problemResponses(...COMMON_PROBLEMS, 401, 403, 413, 415) }
    },
    // The body schema documents the form (Swagger UI shows a file picker per field); the parts are
    // checked as they stream in (spoolParts), since a multipart body is never parsed into request.body.
    validatorCompiler: (route) => route.httpPart === 'body' ? () => true : textPartValidator(route)
  }, async (request) => {
    const { partial, on_conflict: conflictPolicy } = request.query as ImportQueryType
    if (!request.isMultipart()) throw new HttpProblem(415, 'Send the files as multipart/form-data with the fields campaigns, periods and sites.')
    // The share is taken before the upload is read: a refused import costs no connection and no disk.
    return await app.fairShare.importRun(request.user.companyId, async () => {
      const directory = await mkdtemp(path.join(tmpdir(), 'campaign-import-'))
      const sourceNames: Partial<Record<Kind, string>> = {}
      try {
        const files = await spoolParts(request, directory, sourceNames).catch((error: Error & { statusCode?: number, code?: string }) => {
          // The multipart limits hold the form to three file parts; their own errors say "reach fields limit" with a 413.
          if (error.code === 'FST_FIELDS_LIMIT') throw badRequest(`A text field was sent: send ${KINDS.join(', ')} as file parts (with a filename).`)
          if (error.code === 'FST_PARTS_LIMIT' || error.code === 'FST_FILES_LIMIT') throw badRequest(`More than ${KINDS.length} parts were sent: send only the files ${KINDS.join(', ')}.`)
          // busboy's own parse errors ("Malformed part header", "Unexpected end of form") carry no status.
          if (error instanceof HttpProblem || error.statusCode) throw error
          throw badRequest(`The multipart body is malformed (${error.message}): send the files as multipart/form-data.`)
        })
        const missing = KINDS.filter((kind) => !files[kind])
        if (missing.length > 0) throw badRequest(`Missing file(s): ${missing.join(', ')}.`, missing.map((kind) => ({ field: `body.${kind}`, message: 'is required' })))
        return await importFiles(app.database, { companyId: request.user.companyId, files: files as Record<Kind, string>, sourceNames: sourceNames as Record<Kind, string>, partial, conflictPolicy }).catch((error: Error) => {
          // A file the importer cannot read at all (no header, a missing column, broken quoting): nothing was stored.
          if (error instanceof ImportFileError) throw badRequest(`${error.message}. Nothing was stored; fix the file and send all three again.`, [{ field: `body.${error.file}`, message: error.reason }])
          throw error
        })
      } finally {
        await rm(directory, { recursive: true, force: true })
      }
    })
  })
}
