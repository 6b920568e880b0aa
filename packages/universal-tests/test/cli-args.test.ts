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

describe('runner errors are FeastErrors', () => {
  it('a usage error has code USAGE', async () => {
    const { isFeastError } = await import('@feast-ts/core');
    let caught: unknown;
    try {
      parseCliArgs(['--configs']);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CliUsageError);
    expect(isFeastError(caught)).toBe(true);
    expect((caught as CliUsageError).code).toBe('USAGE');
    expect((caught as CliUsageError).name).toBe('CliUsageError');
  });

  it('a failed check (CheckFailure) has code CHECK_FAILED and keeps its diff', async () => {
    const { isFeastError } = await import('@feast-ts/core');
    const { CheckFailure, fail } = await import('../src/assert.js');
    let caught: unknown;
    try {
      fail('mismatch', 1, 2);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CheckFailure);
    expect(isFeastError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'CHECK_FAILED', name: 'CheckFailure', actual: 1, expected: 2, showDiff: true });
  });

  it('a missing runner dependency has code DEPENDENCY_MISSING', async () => {
    const { isFeastError } = await import('@feast-ts/core');
    const { RunnerDependencyError } = await import('../src/errors.js');
    const err = new RunnerDependencyError('vitest', 'install vitest');
    expect(isFeastError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'DEPENDENCY_MISSING', packageName: 'vitest', name: 'RunnerDependencyError' });
  });
});
