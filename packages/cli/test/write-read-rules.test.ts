import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonExact } from '../src/json-exact.js';
import { cli, tempProject, useMemoryStore } from './helpers.js';

let project: ReturnType<typeof tempProject>;
let repo: string;
const inRepo = (argv: string[]) => cli(project.dir, ['-C', 'repo', ...argv]);

beforeAll(async () => {
  project = tempProject();
  repo = path.join(project.dir, 'repo');
  mkdirSync(repo);
  useMemoryStore(repo);
  writeFileSync(
    path.join(repo, 'definitions.ts'),
    `import { Entity, FeatureView, Field, FeastType, ValueType } from '@feast-ts/core';
export const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
export const untyped = new Entity({ name: 'rider', joinKeys: ['rider_id'] });
export const a = new FeatureView({ name: 'a', entities: [driver], schema: [new Field({ name: 'x', dtype: FeastType.Float64 })] });
export const b = new FeatureView({ name: 'b', entities: [driver], schema: [new Field({ name: 'x', dtype: FeastType.Float64 })] });
export const riders = new FeatureView({ name: 'riders', entities: [untyped], schema: [new Field({ name: 'y', dtype: FeastType.Int64 })] });
`,
  );
  expect((await inRepo(['apply'])).code).toBe(0);
});
afterAll(() => project.cleanup());

describe('write: one write per command', () => {
  const rows = (n: number, badAt: number): string =>
    'driver_id,event_timestamp,x\n' +
    Array.from({ length: n }, (_, i) => `${i + 1},${i === badAt ? '2040-01-01' : '2025-01-01'},${i}.5`).join('\n') +
    '\n';
  const stored = async (ids: number[]): Promise<number> => {
    const r = await inRepo(['get-online-features', '--features', 'a:x', '--entities', JSON.stringify(ids.map((driver_id) => ({ driver_id }))), '--compact']);
    expect(r.code).toBe(0);
    return (parseJsonExact(r.stdout) as { x: Array<number | null> }).x.filter((v) => v !== null).length;
  };

  it('a file larger than 1000 rows that the store refuses leaves nothing written', async () => {
    writeFileSync(path.join(repo, 'big.csv'), rows(2500, 2400));
    const r = await inRepo(['write', 'a', 'big.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Nothing of this call was written/);
    expect(r.stderr).not.toMatch(/earlier batches/);
    expect(await stored([1, 1000, 1001, 2000, 2001, 2500])).toBe(0);
  });

  it('with --batch-size, says how many rows earlier batches wrote', async () => {
    writeFileSync(path.join(repo, 'big2.csv'), rows(2500, 2400));
    const r = await inRepo(['write', 'a', 'big2.csv', '--batch-size', '1000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2000 of 2500 rows of repo\/big2\.csv were written by earlier batches \(--batch-size 1000\) and stay written; the write of the batch starting at row 2001 \(line 2002\) failed/);
    expect(await stored([1, 2000, 2001, 2500])).toBe(2);
  });
});

describe('get-online-features --full-feature-names', () => {
  beforeAll(async () => {
    writeFileSync(path.join(repo, 'a.csv'), 'driver_id,event_timestamp,x\n7,2025-01-01,0.5\n');
    writeFileSync(path.join(repo, 'b.csv'), 'driver_id,event_timestamp,x\n7,2025-01-01,1.5\n');
    expect((await inRepo(['write', 'a', 'a.csv'])).code).toBe(0);
    expect((await inRepo(['write', 'b', 'b.csv'])).code).toBe(0);
  });

  it('reads two views sharing a feature name', async () => {
    const r = await inRepo(['get-online-features', '--features', 'a:x,b:x', '--entity', 'driver_id=7', '--full-feature-names', '--compact']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"driver_id":[7],"a__x":[0.5],"b__x":[1.5]}\n');
  });

  it('without the flag, the error names the flag (not the API option)', async () => {
    const r = await inRepo(['get-online-features', '--features', 'a:x,b:x', '--entity', 'driver_id=7']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Two requested columns are named "x".*Pass --full-feature-names to name feature columns <view>__<feature>\. \[INPUT_INVALID\]\n$/);
    expect(r.stderr).not.toMatch(/fullFeatureNames/);
  });
});

describe('a join key without a declared type', () => {
  it('write refuses it instead of guessing string keys from CSV', async () => {
    writeFileSync(path.join(repo, 'riders.csv'), 'rider_id,event_timestamp,y\n1001,2025-01-01,5\n');
    const r = await inRepo(['write', 'riders', 'riders.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Join key "rider_id" of view "riders" has no type: entity "rider" declares no valueType.*\[VALUE_INVALID\]\n$/);
  });

  it('get-online-features refuses it instead of returning nulls', async () => {
    for (const args of [['--entity', 'rider_id=1001'], ['--entities', '[{"rider_id": 1001}]']]) {
      const r = await inRepo(['get-online-features', '--features', 'riders:y', ...args]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/Join key "rider_id" of view "riders" has no type.*valueType: ValueType\.INT64/);
    }
  });
});

describe('errors', () => {
  it('CliError is a FeastError with its code, and input errors carry the file and line', async () => {
    const { CliError } = await import('../src/errors.js');
    const { FeastError, isFeastError } = await import('@feast-ts/core');
    const err = new CliError('INPUT_INVALID', 'x', { file: 'a.csv', line: 3 });
    expect(err).toBeInstanceOf(FeastError);
    expect(isFeastError(err)).toBe(true);
    expect([err.code, err.name, err.file, err.line, err.exitCode]).toEqual(['INPUT_INVALID', 'CliError', 'a.csv', 3, 1]);
  });

  it('a bad JSON line and a bad CSV line name the file and line the same way', async () => {
    writeFileSync(path.join(repo, 'bad.jsonl'), '{"driver_id": 1, "event_timestamp": "2025-01-01", "x": 1}\n{"driver_id": 2,\n');
    writeFileSync(path.join(repo, 'bad.csv'), 'driver_id,event_timestamp,x\n1,2025-01-01,1\n2,2025-01-01\n');
    const j = await inRepo(['write', 'a', 'bad.jsonl']);
    const c = await inRepo(['write', 'a', 'bad.csv']);
    expect(j.stderr).toMatch(/^feast-ts: repo\/bad\.jsonl: line 2: not valid JSON .*\[INPUT_INVALID\]\n$/);
    expect(c.stderr).toMatch(/^feast-ts: repo\/bad\.csv: line 3: 2 cells, but the header has 3 columns \[INPUT_INVALID\]\n$/);
  });
});
