import { FeastError, isFeastError } from '@feast-ts/core';

/** Exit code of a successful run. */
export const EXIT_OK = 0;
/** Exit code when the command ran but failed: a bad repo, file, value or definition. */
export const EXIT_USER_ERROR = 1;
/** Exit code when the command line itself is wrong: unknown command or option, missing argument. */
export const EXIT_USAGE = 2;

/** Stable codes of {@link CliError}, next to core's `FeastErrorCode`s. */
export type CliErrorCode = 'USAGE' | 'FILE_NOT_FOUND' | 'INPUT_INVALID' | 'DEFINITIONS_INVALID' | 'REPO_EXISTS';

/**
 * An error raised by the command line itself (not by core or a store). It is a
 * {@link FeastError}, so `isFeastError` and a `code` check recognise it like
 * every other feast-ts error.
 */
export class CliError extends FeastError {
  /** Stable identifier of the kind of failure. */
  declare readonly code: CliErrorCode;
  /** The process exit code this error maps to. */
  readonly exitCode: number;
  /** The input file at fault (as shown in the message; `stdin` for standard input), when there is one. */
  readonly file: string | undefined;
  /** The 1-based line of {@link file} at fault, when known. */
  readonly line: number | undefined;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown; file?: string; line?: number }) {
    super(code, message, options);
    this.exitCode = code === 'USAGE' ? EXIT_USAGE : EXIT_USER_ERROR;
    this.file = options?.file;
    this.line = options?.line;
  }
}

/** A usage error (exit code 2) with a hint to the help of `command`. */
export function usageError(message: string, command?: string): CliError {
  const help = command ? `feast-ts ${command} --help` : 'feast-ts --help';
  return new CliError('USAGE', `${message} Run \`${help}\` for usage.`);
}

/** The exit code an error maps to. */
export function exitCodeOf(err: unknown): number {
  return err instanceof CliError ? err.exitCode : EXIT_USER_ERROR;
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/**
 * The single line printed for an error: `feast-ts: <message> [<code>]`.
 * Errors that are neither a FeastError nor a CliError are unexpected and say
 * how to see their stack.
 */
export function formatError(err: unknown, verbose: boolean): string {
  if (err instanceof CliError || isFeastError(err)) {
    return `feast-ts: ${oneLine(err.message)} [${err.code}]`;
  }
  const message = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return `feast-ts: ${oneLine(message)}${verbose ? '' : ' (unexpected error; rerun with --verbose or FEAST_TS_DEBUG=1 for the stack)'}`;
}

/** The stack of `err` and of its causes, for `--verbose`. */
export function formatStack(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    parts.push(depth === 0 ? stackOf(current) : `Caused by: ${stackOf(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

function stackOf(err: unknown): string {
  return err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
}
