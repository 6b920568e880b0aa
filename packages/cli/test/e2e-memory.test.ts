import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonExact } from '../src/json-exact.js';
import { cli, tempProject, useMemoryStore } from './helpers.js';

// init -> apply -> write -> get-online-features -> teardown, through run(), on
// the in-memory test store (./store.mjs#MemoryOnlineStore in the repo's yaml).

const FEATURES = 'driver_hourly_stats:conv_rate,driver_hourly_stats:acc_rate,driver_hourly_stats:avg_daily_trips';

let project: ReturnType<typeof tempProject>;
let repo: string;
const inRepo = (argv: string[], extra?: Parameters<typeof cli>[2]) => cli(project.dir, ['-C', 'repo', ...argv], extra);

beforeAll(() => {
  project = tempProject();
  repo = path.join(project.dir, 'repo');
});
afterAll(() => project.cleanup());

describe('init -> apply -> write -> get-online-features (memory store)', () => {
  it('init scaffolds a feature repo', async () => {
    const r = await cli(project.dir, ['init', 'repo']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Creating feature repo "repo" in repo');
    // Run from this checkout (not from node_modules), it says how to install before a release.
    expect(r.stdout).toMatch(/Next steps:\n {2}cd repo\n {2}npm install [^\n]*\n(?: {2}npx [^\n]*\n)+\nThis feast-ts runs from a source checkout[^\n]*\n[^\n]*packed tarballs/);
    for (const f of ['feature_store.yaml', 'definitions.ts', 'data/driver_stats.csv', 'package.json', '.gitignore']) {
      expect(r.stdout).toContain(`created ${f}`);
    }
    const yaml = readFileSync(path.join(repo, 'feature_store.yaml'), 'utf8');
    expect(yaml).toMatch(/^project: repo$/m);
    expect(yaml).toMatch(/type: sqlite/);
    expect(readFileSync(path.join(repo, 'definitions.ts'), 'utf8')).toContain("joinKeys: ['driver_id']");

    const again = await cli(project.dir, ['init', 'repo']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already a feature repo.*\[REPO_EXISTS\]/);
    useMemoryStore(repo, 'repo');
  });

  it('apply registers the definitions, and applying again changes nothing', async () => {
    const r = await inRepo(['apply']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'Created entity driver\nCreated feature view driver_hourly_stats\n' +
        'Applied 1 entity and 1 feature view to project "repo" (online store: ./store.mjs#MemoryOnlineStore).\n',
    );
    const again = await inRepo(['apply']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^No changes: 1 entity and 1 feature view of project "repo" are up to date/);
  });

  it('write ingests the sample CSV with a summary line on a non-TTY stderr', async () => {
    const r = await inRepo(['write', 'driver_hourly_stats', 'data/driver_stats.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Wrote 15 rows to driver_hourly_stats from repo[/\\]data[/\\]driver_stats\.csv in \d+\.\ds\.\n$/);
  });

  it('write draws a progress bar on a TTY, in batches', async () => {
    const r = await inRepo(['write', 'driver_hourly_stats', 'data/driver_stats.csv', '--batch-size', '4'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\rdriver_hourly_stats [');
    expect(r.stderr).toContain('100% 15/15 rows');
    expect(r.stderr).toMatch(/\r\x1b\[2KWrote 15 rows/);
  });

  it('get-online-features returns the latest values, nulls for a missing entity', async () => {
    const r = await inRepo(['get-online-features', '--features', FEATURES, '--entity', 'driver_id=1001', '--entity', 'driver_id=9999']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(parseJsonExact(r.stdout)).toEqual({
      driver_id: [1001, 9999],
      // Float32 features round-trip through protobuf's float, as in every real store (and Feast).
      conv_rate: [Math.fround(0.14), null],
      acc_rate: [Math.fround(0.72), null],
      avg_daily_trips: [110, null],
    });
  });

  it('keeps Int64 exact beyond 2^53 from JSON lines to the JSON output', async () => {
    writeFileSync(
      path.join(repo, 'big.jsonl'),
      '{"driver_id": 9007199254740993, "event_timestamp": 1735732800, "conv_rate": 0.5, "acc_rate": null, "avg_daily_trips": 9223372036854775807}\n' +
        '{"driver_id": 9007199254740992, "event_timestamp": "2025-01-01T12:00:00Z", "avg_daily_trips": -9223372036854775808}\n',
    );
    const w = await inRepo(['write', 'driver_hourly_stats', 'big.jsonl']);
    expect(w.stderr).toMatch(/^Wrote 2 rows/);
    const r = await inRepo([
      'get-online-features',
      '--features',
      FEATURES,
      '--entities',
      '[{"driver_id": 9007199254740993}, {"driver_id": 9007199254740992}]',
      '--compact',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      '{"driver_id":[9007199254740993,9007199254740992],"conv_rate":[0.5,null],"acc_rate":[null,null],"avg_daily_trips":[9223372036854775807,-9223372036854775808]}\n',
    );
  });

  it('keeps Int64 exact beyond 2^53 from CSV, read from stdin', async () => {
    const csv = 'driver_id,event_timestamp,conv_rate,acc_rate,avg_daily_trips\n"18014398509481985",2025-01-01 12:00:00,,0.25,18014398509481987\n';
    const w = await inRepo(['write', 'driver_hourly_stats', '-', '--format', 'csv'], { stdin: Readable.from([csv]) });
    expect(w.stderr).toMatch(/^Wrote 1 row to driver_hourly_stats from stdin/);
    const r = await inRepo(['get-online-features', '--features', FEATURES, '--entity', 'driver_id=18014398509481985', '--full-feature-names', '--compact']);
    expect(r.stdout).toBe(
      '{"driver_id":[18014398509481985],"driver_hourly_stats__conv_rate":[null],"driver_hourly_stats__acc_rate":[0.25],"driver_hourly_stats__avg_daily_trips":[18014398509481987]}\n',
    );
  });

  it('prints Feast\'s feature-server body with --output response, stale values kept and marked', async () => {
    const r = await inRepo(['get-online-features', '--features', 'driver_hourly_stats:avg_daily_trips', '--entity', 'driver_id=1002', '--entity', 'driver_id=9999', '--output', 'response', '--compact']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as { metadata: unknown; results: Array<{ values: unknown[]; statuses: string[]; event_timestamps: string[] }> };
    expect(body.metadata).toEqual({ feature_names: ['driver_id', 'avg_daily_trips'] });
    expect(body.results[0]).toEqual({ values: [1002, 9999], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] });
    // The sample data is older than the view's ttl (1 day): Feast's Go server keeps the value and says so.
    expect(body.results[1]!.values).toEqual([147, null]);
    expect(body.results[1]!.statuses).toEqual(['OUTSIDE_MAX_AGE', 'NOT_FOUND']);
    expect(body.results[1]!.event_timestamps[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(body.results[1]!.event_timestamps[1]).toBe('1970-01-01T00:00:00Z');
  });

  it('adds <column>__ts columns with --event-timestamps', async () => {
    const r = await inRepo(['get-online-features', '--features', 'driver_hourly_stats:avg_daily_trips', '--entity', 'driver_id=1002', '--entity', 'driver_id=9999', '--event-timestamps', '--compact']);
    const out = parseJsonExact(r.stdout) as Record<string, unknown[]>;
    expect(Object.keys(out)).toEqual(['driver_id', 'driver_id__ts', 'avg_daily_trips', 'avg_daily_trips__ts']);
    expect(out['driver_id__ts']).toEqual([0, 0]);
    expect(typeof out['avg_daily_trips__ts']![0]).toBe('number');
    expect(out['avg_daily_trips__ts']![0]).toBeGreaterThan(1_600_000_000);
    expect(out['avg_daily_trips__ts']![1]).toBe(0);
  });

  it('prints a table with --output table', async () => {
    const r = await inRepo(['get-online-features', '--features', 'driver_hourly_stats:avg_daily_trips', '--entities', '[{"driver_id": 1002}, {"driver_id": 9999}]', '--output', 'table']);
    expect(r.stdout).toBe('driver_id  avg_daily_trips\n---------  ---------------\n1002       147\n9999       null\n');
  });

  it('apply deletes views removed from the definitions', async () => {
    const defs = readFileSync(path.join(repo, 'definitions.ts'), 'utf8');
    writeFileSync(
      path.join(repo, 'definitions.ts'),
      defs +
        "\nexport const more = [new FeatureView({ name: 'extra_stats', entities: [driver], schema: [new Field({ name: 'rating', dtype: FeastType.Float64 })] })];\n",
    );
    const added = await inRepo(['apply']);
    expect(added.stdout).toMatch(/^Created feature view extra_stats\nApplied 1 entity and 2 feature views/);

    writeFileSync(path.join(repo, 'definitions.ts'), defs);
    const removed = await inRepo(['apply']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^Deleted feature view extra_stats\nApplied 1 entity and 1 feature view/);
    const r = await inRepo(['get-online-features', '--features', 'extra_stats:rating', '--entity', 'driver_id=1001']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Feature view "extra_stats".*not in the registry.*\[NOT_FOUND\]/);
    // The remaining view kept its data.
    const kept = await inRepo(['get-online-features', '--features', 'driver_hourly_stats:avg_daily_trips', '--entity', 'driver_id=1001', '--compact']);
    expect(kept.stdout).toBe('{"driver_id":[1001],"avg_daily_trips":[110]}\n');
  });

  it('apply reports an updated view', async () => {
    const defs = readFileSync(path.join(repo, 'definitions.ts'), 'utf8');
    writeFileSync(path.join(repo, 'definitions.ts'), defs.replace('ttl: 24 * 60 * 60', 'ttl: 2 * 24 * 60 * 60'));
    const r = await inRepo(['apply']);
    expect(r.stdout).toMatch(/^Updated feature view driver_hourly_stats\n/);
    writeFileSync(path.join(repo, 'definitions.ts'), defs);
  });

  it('teardown removes the project', async () => {
    const r = await inRepo(['teardown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Deleted feature view driver_hourly_stats\nDeleted entity driver\nTore down project "repo".\n');
    const g = await inRepo(['get-online-features', '--features', 'driver_hourly_stats:conv_rate', '--entity', 'driver_id=1001']);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(/Nothing has been applied yet: run apply first\. \[NOT_FOUND\]/);
  });
});
