import { parseArgs, type ParseArgsConfig } from 'node:util'

type Options = NonNullable<ParseArgsConfig['options']>
const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const
type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O & typeof HELP_OPTION, strict: true }>>['values']

/** What every command says on a bad argument: the problem, where the usage is, then its exit code. */
export function exitWithUsageError (message: string, exitCode = 1): never {
  console.error(`${message}\nRun with --help for the usage.`)
  process.exit(exitCode)
}

/**
 * The command's options, parsed strictly, with -h/--help added: --help prints the help text and
 * exits 0; an unknown or malformed option exits with usageExitCode and a pointer to --help.
 */
export function readCommandLine<const O extends Options> (options: O, help: string, usageExitCode = 1): Values<O> {
  let values: Values<O>
  try {
    values = parseArgs({ options: { ...options, ...HELP_OPTION }, strict: true }).values
  } catch (error) {
    exitWithUsageError((error as Error).message, usageExitCode)
  }
  if ((values as { help?: boolean }).help) {
    console.log(help)
    process.exit(0)
  }
  return values
}

/** An integer option's value, at least `min` (digits only: "", "1e3" and "0x10" are refused); exits with a usage error otherwise. */
export function integerOption (flag: string, text: string, min = 0, usageExitCode = 1): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) exitWithUsageError(`${flag} must be an integer >= ${min}, got "${text}".`, usageExitCode)
  return value
}
