import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempProject, useMemoryStore } from './helpers.js';

// Every failure is one line on stderr: `feast-ts: <message> [<CODE>]`.
const ONE_ERROR_LINE = /^feast-ts: [^\n]+ \[[A-Z_]+\]\n$/;

let project: ReturnType<typeof tempProject>;
let repo: string;

beforeAll(async () => {
  project = tempProject();
  repo = path.join(project.dir, 'repo');
  mkdirSync(repo);
  useMemoryStore(repo);
  writeFileSync(
    path.join(repo, 'definitions.ts'),
    `import { Entity, FeatureView, Field, FeastType, ValueType } from '@feast-ts/core';
export const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
export const stats = new FeatureView({ name: 'stats', entities: [driver], schema: [new Field({ name: 'x', dtype: FeastType.Float64 })] });
`,
  );
  expect((await cli(project.dir, ['-C', 'repo', 'apply'])).code).toBe(0);
});
afterAll(() => project.cleanup());

describe('usage errors exit 2', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /missing command/],
    [['apply', '--bogus'], /unknown option --bogus for "apply"/],
    [['--bogus', 'apply'], /option --bogus must come after the command/],
    [['write', 'stats'], /"write" needs <view> <file>/],
    [['teardown', 'extra'], /"teardown" takes no arguments; unexpected "extra"/],
    [['apply', '-C'], /option -C, --repo needs a value/],
    [['get-online-features', '--entity', 'driver_id=1'], /--features .* or --feature-service <name> is required/],
    [['get-online-features', '--features', 'stats:x'], /give entity rows/],
    [['get-online-features', '--features', 'stats:x', '--entity', 'driver_id'], /--entity takes <join key>=<value>/],
    [['write', 'stats', 'data.xlsx'], /cannot tell the format/],
    [['write', 'stats', 'x.csv', '--batch-size', '0'], /--batch-size must be a positive integer/],
  ])('%j', async (argv, message) => {
    const r = await cli(project.dir, argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_ERROR_LINE);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('[USAGE]');
    expect(r.stdout).toBe('');
  });
});

describe('user errors exit 1 with the error code', () => {
  it('names a missing repo', async () => {
    const r = await cli(project.dir, ['-C', 'nowhere', 'apply']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(ONE_ERROR_LINE);
    expect(r.stderr).toMatch(/^feast-ts: No feature repository at .*nowhere.feature_store\.yaml.*\[CONFIG_NOT_FOUND\]/);
  });

  it('names an unknown view and lists the known ones', async () => {
    writeFileSync(path.join(repo, 'rows.csv'), 'driver_id,event_timestamp,x\n1,2025-01-01,0.5\n');
    const r = await cli(project.dir, ['-C', 'repo', 'write', 'nope', 'rows.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(ONE_ERROR_LINE);
    expect(r.stderr).toMatch(/Feature view "nope" is not in the registry.*Known views: stats\..*\[NOT_FOUND\]/);

    const g = await cli(project.dir, ['-C', 'repo', 'get-online-features', '--features', 'nope:x', '--entity', 'driver_id=1']);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/\[NOT_FOUND\]\n$/);
  });

  it('names a missing input file', async () => {
    const r = await cli(project.dir, ['-C', 'repo', 'write', 'stats', 'missing.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/The input file .*missing\.csv does not exist\. \[FILE_NOT_FOUND\]\n$/);
  });

  it('names the file, line and column of a bad value, and writes nothing', async () => {
    writeFileSync(path.join(repo, 'bad.csv'), 'driver_id,event_timestamp,x\n1,2025-01-01,0.5\n2,2025-01-01,oops\n');
    const r = await cli(project.dir, ['-C', 'repo', 'write', 'stats', 'bad.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(ONE_ERROR_LINE);
    expect(r.stderr).toMatch(/bad\.csv line 3, column "x": expected a Float64 \(a number\), got "oops"\. \[VALUE_INVALID\]/);
    const g = await cli(project.dir, ['-C', 'repo', 'get-online-features', '--features', 'stats:x', '--entity', 'driver_id=1', '--compact']);
    expect(g.stdout).toBe('{"driver_id":[1],"x":[null]}\n');
  });

  it('names missing CSV columns and malformed CSV', async () => {
    writeFileSync(path.join(repo, 'cols.csv'), 'driver_id,x\n1,0.5\n');
    const r = await cli(project.dir, ['-C', 'repo', 'write', 'stats', 'cols.csv']);
    expect(r.stderr).toMatch(/the header lacks column "event_timestamp" \(it has driver_id, x\)\. \[INPUT_INVALID\]/);
    writeFileSync(path.join(repo, 'quote.csv'), 'driver_id,event_timestamp,x\n1,"2025\n');
    const q = await cli(project.dir, ['-C', 'repo', 'write', 'stats', 'quote.csv']);
    expect(q.code).toBe(1);
    expect(q.stderr).toMatch(/quote\.csv: unterminated quoted field starting on line 2\. \[INPUT_INVALID\]|unterminated quoted field starting on line 2 \[INPUT_INVALID\]/);
  });

  it('rejects bad --entities JSON', async () => {
    const r = await cli(project.dir, ['-C', 'repo', 'get-online-features', '--features', 'stats:x', '--entities', '{"driver_id": 1}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--entities must be a JSON array of objects.*\[INPUT_INVALID\]\n$/);
  });

  it('reports a definitions module that fails to load, or exports nothing', async () => {
    writeFileSync(path.join(repo, 'broken.ts'), 'export const x: number = ;\n');
    const r = await cli(project.dir, ['-C', 'repo', 'apply', '--definitions', 'broken.ts']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(ONE_ERROR_LINE);
    expect(r.stderr).toMatch(/^feast-ts: Loading .*broken\.ts failed: .*\[DEFINITIONS_INVALID\]/);

    writeFileSync(path.join(repo, 'empty.ts'), 'export const x = 1;\n');
    const e = await cli(project.dir, ['-C', 'repo', 'apply', '--definitions', 'empty.ts']);
    expect(e.stderr).toMatch(/exports no Entity, FeatureView or FeatureService.*\[DEFINITIONS_INVALID\]/);

    writeFileSync(path.join(repo, 'invalid.ts'), "import { FeatureView } from '@feast-ts/core';\nexport const v = new FeatureView({ name: 'v', schema: [] });\n");
    const i = await cli(project.dir, ['-C', 'repo', 'apply', '--definitions', 'invalid.ts']);
    expect(i.stderr).toMatch(ONE_ERROR_LINE);
    expect(i.stderr).toMatch(/FeatureView "v" has no features/);

    const m = await cli(project.dir, ['-C', 'repo', 'apply', '--definitions', 'nothing.ts']);
    expect(m.stderr).toMatch(/The definitions file .*nothing\.ts does not exist\. \[FILE_NOT_FOUND\]/);
  });

  it('prints the stack with --verbose or FEAST_TS_DEBUG=1', async () => {
    const quiet = await cli(project.dir, ['-C', 'nowhere', 'apply']);
    expect(quiet.stderr.split('\n')).toHaveLength(2);
    for (const r of [
      await cli(project.dir, ['-C', 'nowhere', 'apply', '--verbose']),
      await cli(project.dir, ['-C', 'nowhere', 'apply'], { env: { FEAST_TS_DEBUG: '1' } }),
    ]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^feast-ts: No feature repository/);
      expect(r.stderr).toMatch(/FeatureRepoNotFoundError: No feature repository[\s\S]*\n\s+at /);
    }
  });
});

describe('help and version exit 0', () => {
  it('prints global help', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await cli(project.dir, argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: feast-ts \[-C <repo>\] <command>/);
      for (const c of ['init', 'apply', 'teardown', 'write', 'get-online-features']) expect(r.stdout).toContain(`  ${c} `);
    }
  });

  it('prints the help of each command', async () => {
    for (const c of ['init', 'apply', 'teardown', 'write', 'get-online-features']) {
      for (const argv of [[c, '--help'], ['help', c], ['-C', 'x', c, '-h', '--bogus']]) {
        const r = await cli(project.dir, argv);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: feast-ts ${c} \\[options\\]`));
        expect(r.stdout).toContain('-C, --repo <dir>');
      }
    }
  });

  it('prints the version', async () => {
    for (const argv of [['--version'], ['apply', '--version']]) {
      const r = await cli(project.dir, argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    }
  });
});
