import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CommandContext, type Command, type OptionSpec, type OptionValues } from './command.js';
import { applyCommand } from './commands/apply.js';
import { getOnlineFeaturesCommand } from './commands/get-online-features.js';
import { initCommand } from './commands/init.js';
import { entitiesCommand, featureServicesCommand, featureViewsCommand, registryDumpCommand } from './commands/registry-list.js';
import { serveCommand } from './commands/serve.js';
import { teardownCommand } from './commands/teardown.js';
import { writeCommand } from './commands/write.js';
import { CliError, EXIT_OK, exitCodeOf, formatError, formatStack, usageError } from './errors.js';
import { commandHelp, GLOBAL_OPTIONS, globalHelp } from './help.js';
import { processIo, type CliIo } from './io.js';
import { version } from './version.js';

/** Every `feast-ts` command, in help order. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  applyCommand,
  teardownCommand,
  writeCommand,
  getOnlineFeaturesCommand,
  entitiesCommand,
  featureViewsCommand,
  featureServicesCommand,
  registryDumpCommand,
  serveCommand,
];

function parseOptions(specs: Record<string, OptionSpec>): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(specs)) {
    out[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  return out;
}

function isDebugEnv(env: NodeJS.ProcessEnv): boolean {
  const v = env.FEAST_TS_DEBUG;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Rewrites node:util parseArgs errors as short usage errors. */
function parseArgsError(err: unknown, command: string): CliError {
  const message = (err as Error).message ?? String(err);
  const code = (err as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const opt = /Unknown option '([^']+)'/.exec(message)?.[1] ?? message;
    return usageError(`unknown option ${opt} for "${command}".`, command);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const opt = /Option '([^']+)'/.exec(message)?.[1];
    if (opt && message.includes('argument missing')) return usageError(`option ${opt.replace(/ <value>$/, '')} needs a value.`, command);
    if (opt && message.includes('does not take an argument')) return usageError(`option ${opt} does not take a value.`, command);
    if (opt && message.includes('ambiguous')) {
      return usageError(`option ${opt} needs a value; to give one that starts with "-", write ${opt}=<value>.`, command);
    }
  }
  return usageError(message.split(/\.\s/)[0]!.replace(/\.$/, '') + '.', command);
}

/**
 * Runs the `feast-ts` command line with `argv` (the arguments after the
 * program name) and returns the exit code: 0 on success, 1 when the command
 * failed (bad repo, file, value or definition), 2 for a usage error. Nothing is
 * thrown: errors are printed as one line, `feast-ts: <message> [<code>]`, on
 * stderr (with the stack under `--verbose` or FEAST_TS_DEBUG=1).
 *
 * ```ts
 * import { run } from '@feast-ts/cli';
 * const code = await run(['-C', 'feature_repo', 'apply']);
 * ```
 *
 * @param io - streams, cwd and environment; each defaults to the current process's
 */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const cli = processIo(io);
  const verbose = isDebugEnv(cli.env) || argv.includes('--verbose');
  try {
    return await dispatch([...argv], cli, verbose);
  } catch (err) {
    cli.stderr.write(`${formatError(err, verbose)}\n`);
    if (verbose) cli.stderr.write(`${formatStack(err)}\n`);
    return exitCodeOf(err);
  }
}

async function dispatch(args: string[], io: CliIo, verbose: boolean): Promise<number> {
  const { tokens } = parseArgs({ args, options: parseOptions(GLOBAL_OPTIONS), strict: false, allowPositionals: true, tokens: true });
  const commandToken = tokens.find((t) => t.kind === 'positional');
  const before = commandToken ? tokens.filter((t) => t.index < commandToken.index) : tokens;
  const wantsHelp = tokens.some((t) => t.kind === 'option' && t.name === 'help');
  const wantsVersion = tokens.some((t) => t.kind === 'option' && t.name === 'version');

  if (!commandToken || commandToken.value === 'help') {
    const unknown = before.find((t) => t.kind === 'option' && !(t.name in GLOBAL_OPTIONS));
    if (unknown && unknown.kind === 'option') throw usageError(`unknown option ${unknown.rawName}.`);
    if (wantsVersion) {
      io.stdout.write(`${version()}\n`);
      return EXIT_OK;
    }
    if (commandToken?.value === 'help') {
      const topic = tokens.find((t) => t.kind === 'positional' && t.index > commandToken.index);
      if (topic && topic.kind === 'positional') {
        const command = COMMANDS.find((c) => c.name === topic.value);
        if (!command) throw usageError(`unknown command "${topic.value}".`);
        io.stdout.write(commandHelp(command));
        return EXIT_OK;
      }
      io.stdout.write(globalHelp(COMMANDS));
      return EXIT_OK;
    }
    if (wantsHelp) {
      io.stdout.write(globalHelp(COMMANDS));
      return EXIT_OK;
    }
    throw usageError(`missing command: one of ${COMMANDS.map((c) => c.name).join(', ')}.`);
  }

  const command = COMMANDS.find((c) => c.name === commandToken.value);
  if (!command) throw usageError(`unknown command "${commandToken.value}" (commands: ${COMMANDS.map((c) => c.name).join(', ')}).`);
  const misplaced = before.find((t) => t.kind === 'option' && !(t.name in GLOBAL_OPTIONS));
  if (misplaced && misplaced.kind === 'option') {
    throw usageError(`option ${misplaced.rawName} must come after the command ("feast-ts ${command.name} ${misplaced.rawName} ...").`, command.name);
  }
  if (wantsHelp) {
    io.stdout.write(commandHelp(command));
    return EXIT_OK;
  }
  if (wantsVersion) {
    io.stdout.write(`${version()}\n`);
    return EXIT_OK;
  }

  const rest = args.filter((_, i) => i !== commandToken.index);
  let values: OptionValues;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: parseOptions({ ...GLOBAL_OPTIONS, ...command.options }),
      strict: true,
      allowPositionals: true,
    }) as { values: OptionValues; positionals: string[] });
  } catch (err) {
    throw parseArgsError(err, command.name);
  }
  const { min, max } = command.positionals;
  if (positionals.length < min) {
    throw usageError(`"${command.name}" needs ${command.args} (got ${positionals.length === 0 ? 'none' : positionals.join(' ')}).`, command.name);
  }
  if (positionals.length > max) {
    throw usageError(`"${command.name}" takes ${max === 0 ? 'no arguments' : `at most ${command.args}`}; unexpected "${positionals[max]}".`, command.name);
  }
  const repo = path.resolve(io.cwd, typeof values.repo === 'string' ? values.repo : '.');
  return command.run(new CommandContext(io, repo, verbose), values, positionals);
}
