export { importCampaignFiles, type ImportOptions, type ImportProgress, type ImportSettings } from './import.js'
export { ImportFileError, type CsvSource } from './csv.js'
export { FILE_NAMES, type FileKind } from './columns.js'
export { summarise } from './summary.js'
