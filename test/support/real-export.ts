import path from 'node:path'
import { ROOT } from './database.js'

/** The customer's real export lives beside the repository (../shared), never inside it; OOH_CHALLENGE_DIR points elsewhere. */
export const REAL_EXPORT_DIR = process.env.OOH_CHALLENGE_DIR || path.resolve(ROOT, '..', 'shared', 'datasets', 'ooh-challenge')
