import type { Command, OptionSpec } from './command.js';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  repo: { type: 'string', short: 'C', valueName: '<dir>', description: 'Feature repo directory (with feature_store.yaml); default: the current directory. Relative paths are relative to it.' },
  verbose: { type: 'boolean', description: 'Print stack traces of errors (same as FEAST_TS_DEBUG=1).' },
  help: { type: 'boolean', short: 'h', description: 'Show help.' },
  version: { type: 'boolean', description: 'Print the version.' },
};

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.valueName ?? '<value>'}` : ''}`;
    return [flag, o.description + (o.multiple ? ' Repeatable.' : '')] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`);
}

/** The text of `feast-ts --help`. */
export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: feast-ts [-C <repo>] <command> [options]',
    '',
    'The feast-ts command line: manage a Feast feature repo and its online store.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run `feast-ts <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/** The text of `feast-ts <command> --help`. */
export function commandHelp(command: Command): string {
  const lines = [`Usage: feast-ts ${command.name} [options]${command.args ? ` ${command.args}` : ''}`, '', command.description, ''];
  if (Object.keys(command.options).length > 0) lines.push('Options:', ...optionLines(command.options), '');
  lines.push('Global options:', ...optionLines(GLOBAL_OPTIONS), '');
  if (command.examples?.length) lines.push('Examples:', ...command.examples.map((e) => `  ${e}`), '');
  return lines.join('\n');
}
