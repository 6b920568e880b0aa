/**
 * `@feast-ts/cli`: the `feast-ts` command line, and the same commands as a
 * function for scripts and tests.
 *
 * ```ts
 * import { run } from '@feast-ts/cli';
 * const exitCode = await run(['-C', 'feature_repo', 'apply'], { stdout, stderr });
 * ```
 *
 * @packageDocumentation
 */
export { run, COMMANDS } from './main.js';
export type { CliIo, OutputStream } from './io.js';
export type { Command, CommandContext, OptionSpec, OptionValues } from './command.js';
export { CliError, EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE, formatError, type CliErrorCode } from './errors.js';
export { version } from './version.js';
export { parseCsv, parseCsvWithHeader, CsvSyntaxError, type CsvRecord, type CsvRow } from './csv.js';
export { parseJsonl, JsonlSyntaxError, type JsonlRow } from './jsonl.js';
export { parseJsonExact, JsonSyntaxError, type ExactJson } from './json-exact.js';
export { coerceFeature, coerceEntityValue, rowCoercer, toDate, type RawValue, type RowCoercer } from './coerce.js';
export { stringifyExact, formatTable } from './output.js';
export { collectDefinitions, loadDefinitions, findDefinitionsFile, DEFAULT_DEFINITION_FILES, type Definition } from './load-definitions.js';
