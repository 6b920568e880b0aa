import { FeastError } from '@feast-ts/core';

/** What the `feast-universal-tests` command line asked for. */
export interface CliArgs {
  /** `--configs <module>`: the configs module (else FULL_REPO_CONFIGS_MODULE, else the built-in SQLite config). */
  configs?: string;
  /** `--skip a,b`: check ids to skip. */
  skip: string[];
  /** `--only a,b`: check ids to run. */
  only: string[];
  /** `--list`: print the check ids and exit. */
  list: boolean;
  /** `--help`. */
  help: boolean;
  /** Everything else (and everything after `--`), passed to `vitest run`. */
  vitestArgs: string[];
}

/** A command line error: the message says what was wrong. A {@link FeastError} with code `USAGE`. */
export class CliUsageError extends FeastError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Parses `feast-universal-tests [--configs <module>] [--skip ids] [--only ids] [--list] [-- vitest args]`. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const out: CliArgs = { skip: [], only: [], list: false, help: false, vitestArgs: [] };
  const splitIds = (v: string): string[] => v.split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new CliUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--configs':
      case '-c':
        out.configs = value();
        break;
      case '--skip':
        out.skip.push(...splitIds(value()));
        break;
      case '--only':
        out.only.push(...splitIds(value()));
        break;
      case '--list':
        out.list = true;
        break;
      case '--help':
      case '-h':
        out.help = true;
        break;
      case '--':
        out.vitestArgs.push(...argv.slice(i + 1));
        return out;
      default:
        out.vitestArgs.push(arg);
    }
  }
  return out;
}

/** The `--help` text. */
export const USAGE = `Usage: feast-universal-tests [--configs <module>] [--skip <ids>] [--only <ids>] [--list] [-- <vitest args>]

Runs the feast-ts universal online store suite with vitest against every
config exported by a configs module (FULL_REPO_CONFIGS or AVAILABLE_ONLINE_STORES).

  --configs, -c <module>  path (relative to the current directory) or package name of the
                          configs module; default: $FULL_REPO_CONFIGS_MODULE, else the
                          built-in SQLite config (needs @feast-ts/sqlite)
  --skip <ids>            comma-separated check ids to skip (adds to each config's skip list)
  --only <ids>            comma-separated check ids to run
  --list                  print the check ids and exit
  -h, --help              show this help

Other arguments (or everything after --) go to \`vitest run\`, e.g. --reporter=verbose.
The exit code is vitest's.`;
