import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from '../src/runner/cli-args.js';

describe('parseCliArgs', () => {
  it('reads --configs, --skip, --only and passes the rest to vitest', () => {
    expect(parseCliArgs(['--configs', './c.ts', '--skip', 'a,b', '--skip=c', '--only', 'x', '-t', 'round', '--', '--configs', 'kept'])).toEqual({
      configs: './c.ts',
      skip: ['a', 'b', 'c'],
      only: ['x'],
      list: false,
      help: false,
      vitestArgs: ['-t', 'round', '--configs', 'kept'],
    });
  });

  it('accepts -c, --configs=, --list and --help', () => {
    expect(parseCliArgs(['-c', 'pkg/configs', '--list', '-h'])).toMatchObject({ configs: 'pkg/configs', list: true, help: true });
    expect(parseCliArgs(['--configs=./x.ts']).configs).toBe('./x.ts');
  });

  it('rejects a flag without its value', () => {
    expect(() => parseCliArgs(['--configs'])).toThrow(CliUsageError);
    expect(() => parseCliArgs(['--skip', '--only', 'x'])).toThrow('--skip needs a value');
  });
});
