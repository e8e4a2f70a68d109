import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import multipart from '@fastify/multipart'
import type { FastifyInstance } from 'fastify'
import type { TSchema } from '@sinclair/typebox'
import { BEARER_SECURITY } from '../../../schemas/campaigns.js'
import { COMMON_PROBLEMS, problemResponses } from '../../../schemas/common.js'
import type { DatabaseConnection } from '../../db/engine.js'
import { badRequest, HttpProblem } from '../../errors.js'

const KINDS = ['campaigns', 'periods', 'sites'] as const
type Kind = typeof KINDS[number]

/**
 * The importer library's entry point, as `importCampaignFiles` in src/modules/imports/index.ts
 * (branch `importer`) declares it. Taken as an option so this route builds without it; once
 * both branches are merged, src/app.ts registers it with:
 *
 *   await app.register(importRoutes, { importFiles: importCampaignFiles, reportSchema: ImportReportSchema, uploadLimitBytes: config.UPLOAD_LIMIT_BYTES })
 */
export type ImportFiles = (connection: DatabaseConnection, options: { companyId: number, files: Record<Kind, string> }) => Promise<unknown>
export type ImportRoutesOptions = { importFiles: ImportFiles, reportSchema: TSchema, uploadLimitBytes: number }

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
      response: { 200: reportSchema, ...problemResponses(...COMMON_PROBLEMS, 401, 403, 413, 415) }
    }
  }, async (request) => {
    if (!request.isMultipart()) throw new HttpProblem(415, 'Send the files as multipart/form-data with the fields campaigns, periods and sites.')
    const directory = await mkdtemp(path.join(tmpdir(), 'campaign-import-'))
    try {
      const files: Partial<Record<Kind, string>> = {}
      for await (const part of request.parts()) {
        const kind = part.fieldname as Kind
        if (part.type !== 'file' || !KINDS.includes(kind)) throw badRequest(`Unexpected field "${part.fieldname}": send only the files ${KINDS.join(', ')}.`, [{ field: `body.${part.fieldname}`, message: 'is not a known field' }])
        if (files[kind]) throw badRequest(`The file ${kind} was sent twice.`, [{ field: `body.${kind}`, message: 'was sent twice' }])
        const target = path.join(directory, `${kind}.csv`)
        await pipeline(part.file, createWriteStream(target, { mode: 0o600 }))
        files[kind] = target
      }
      const missing = KINDS.filter((kind) => !files[kind])
      if (missing.length > 0) throw badRequest(`Missing file(s): ${missing.join(', ')}.`, missing.map((kind) => ({ field: `body.${kind}`, message: 'is required' })))
      return await importFiles(app.database, { companyId: request.user.companyId, files: files as Record<Kind, string> })
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })
}
