import { Type, type Static } from '@sinclair/typebox'
import { nullable } from './common.js'

// The import report: what the CLI writes with --report, and what POST /imports will answer.
// Every stored value that differs from its cell is listed in `repairs`; every row not stored is
// in `rejections` (or `duplicates`, for an exact copy of a stored row).

const FileName = Type.Union([Type.Literal('campaigns'), Type.Literal('periods'), Type.Literal('sites')])

// An enum rather than a union of literals: a wrong value gets one error naming the allowed words.
export const ConflictPolicySchema = Type.Unsafe<'reject' | 'first' | 'last'>({
  type: 'string',
  enum: ['reject', 'first', 'last'],
  description: 'What to do when one key has rows with different figures: reject the campaign (default), or keep the first / last row in file order.'
})

export const ImportFileStatsSchema = Type.Object({
  source: Type.String({ description: 'file path, or the name given to an uploaded stream' }),
  rowsRead: Type.Integer({ description: 'data rows (the header excluded)' }),
  rowsValid: Type.Integer({ description: 'rows that passed validation and belong to an accepted campaign (duplicates excluded)' }),
  rowsLoaded: Type.Integer({ description: 'rows stored by this run: rowsValid when committed, else 0' }),
  rowsRepaired: Type.Integer(),
  rowsRejected: Type.Integer(),
  duplicates: Type.Integer({ description: 'exact copies of another row, loaded once' }),
  superseded: Type.Integer({ description: 'versions not kept when --on-conflict first|last resolved a conflict (listed in conflicts)' })
})

/** POST /imports takes the CLI's choices as query parameters (`npm run import -- --partial --on-conflict last`). */
export const ImportQuery = Type.Object({
  partial: Type.Boolean({ default: false, description: 'store the accepted campaigns even when others are rejected (default: any rejection stores nothing)' }),
  on_conflict: Type.Optional(ConflictPolicySchema)
}, { additionalProperties: false })
export type ImportQueryType = Static<typeof ImportQuery>

export const ImportRepairSchema = Type.Object({
  file: FileName,
  line: Type.Integer(),
  column: Type.String(),
  raw: Type.String(),
  recovered: Type.String(),
  rule: Type.Union([Type.Literal('spreadsheet-date-serial'), Type.Literal('lost-decimal-point'), Type.Literal('swapped-impact-columns')]),
  detail: Type.Optional(Type.String())
})

export const ImportRejectionSchema = Type.Object({
  file: FileName,
  line: Type.Integer(),
  campaign: Type.Optional(Type.String()),
  column: Type.Optional(Type.String()),
  raw: Type.Optional(Type.String()),
  reason: Type.String()
})

export const ImportConflictSchema = Type.Object({
  file: FileName,
  key: Type.String({ description: 'the natural key with more than one version, e.g. campaign name' }),
  lines: Type.Array(Type.Integer()),
  columns: Type.Array(Type.String(), { description: 'columns whose values differ between the versions' }),
  resolution: Type.String({ description: '"rejected", or which line was kept under the first/last policy' })
})

export const ImportDuplicateSchema = Type.Object({ file: FileName, line: Type.Integer(), duplicateOf: Type.Integer() })

export const ImportWarningSchema = Type.Object({
  file: FileName,
  line: Type.Optional(Type.Integer()),
  campaign: Type.Optional(Type.String()),
  code: Type.String(),
  message: Type.String()
})

export const ImportCrossCheckSchema = Type.Object({
  campaign: Type.String(),
  mapping: Type.Union([Type.Literal('as-labelled'), Type.Literal('swapped'), Type.Literal('unconfirmed')]),
  impactosPersonas: Type.Object({ total: nullable(Type.String()), sum: Type.String() }),
  impactosVehiculos: Type.Object({ total: nullable(Type.String()), sum: Type.String() }),
  tolerance: Type.String({ description: 'how far a sum may be from the total printed in the campaigns file' })
})

export const ImportReportSchema = Type.Object({
  companyId: Type.Integer(),
  committed: Type.Boolean({ description: 'false when nothing was stored (rows were rejected without --partial, or the run failed)' }),
  partial: Type.Boolean(),
  conflictPolicy: ConflictPolicySchema,
  durationMs: Type.Integer(),
  files: Type.Object({ campaigns: ImportFileStatsSchema, periods: ImportFileStatsSchema, sites: ImportFileStatsSchema }),
  campaigns: Type.Object({
    accepted: Type.Array(Type.String()),
    rejected: Type.Array(Type.Object({ name: Type.String(), reasons: Type.Array(Type.String()) }))
  }),
  crossChecks: Type.Array(ImportCrossCheckSchema),
  repairs: Type.Array(ImportRepairSchema),
  rejections: Type.Array(ImportRejectionSchema),
  conflicts: Type.Array(ImportConflictSchema),
  duplicates: Type.Array(ImportDuplicateSchema),
  warnings: Type.Array(ImportWarningSchema),
  omitted: Type.Object({
    repairs: Type.Integer(), rejections: Type.Integer(), duplicates: Type.Integer(), warnings: Type.Integer()
  }, { description: 'entries counted but left out of the lists above once a list reached its limit' })
})

export type ImportReport = Static<typeof ImportReportSchema>
export type ImportRepair = Static<typeof ImportRepairSchema>
export type ImportRejection = Static<typeof ImportRejectionSchema>
export type ImportConflict = Static<typeof ImportConflictSchema>
export type ImportWarning = Static<typeof ImportWarningSchema>
export type ImportCrossCheck = Static<typeof ImportCrossCheckSchema>
export type ImportFileStats = Static<typeof ImportFileStatsSchema>
export type ConflictPolicy = Static<typeof ConflictPolicySchema>
