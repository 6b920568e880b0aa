import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonExact } from '../src/json-exact.js';
import { cli, SQLITE_DIR, tempProject } from './helpers.js';

// The same flow on the real default store. The temp project does not install
// @feast-ts/sqlite: `online_store: sqlite` must resolve from the CLI's location.
const sqliteBuilt = existsSync(path.join(SQLITE_DIR, 'dist', 'index.js'));
if (!sqliteBuilt) console.warn('[cli] packages/sqlite/dist is missing: build @feast-ts/sqlite to run the SQLite end-to-end test.');

describe.skipIf(!sqliteBuilt)('init -> apply -> write -> get-online-features (sqlite)', () => {
  let project: ReturnType<typeof tempProject>;
  const inRepo = (argv: string[]) => cli(project.dir, ['-C', 'repo', ...argv]);

  beforeAll(() => {
    project = tempProject();
  });
  afterAll(() => project.cleanup());

  it('runs the whole flow, twice, on the scaffold', async () => {
    expect((await cli(project.dir, ['init', 'repo'])).code).toBe(0);
    const repo = path.join(project.dir, 'repo');
    expect(readFileSync(path.join(repo, 'feature_store.yaml'), 'utf8')).toContain('type: sqlite');

    for (let round = 0; round < 2; round++) {
      const apply = await inRepo(['apply']);
      expect(apply.stderr).toBe('');
      expect(apply.code).toBe(0);
      expect(apply.stdout).toMatch(round === 0 ? /^Created entity driver\nCreated feature view driver_hourly_stats\n/ : /^No changes/);

      const write = await inRepo(['write', 'driver_hourly_stats', 'data/driver_stats.csv']);
      expect(write.code).toBe(0);
      expect(write.stderr).toMatch(/^Wrote 15 rows/);

      const get = await inRepo([
        'get-online-features',
        '--features',
        'driver_hourly_stats:conv_rate,driver_hourly_stats:avg_daily_trips',
        '--entity',
        'driver_id=1001',
        '--entity',
        'driver_id=9999',
      ]);
      expect(get.code).toBe(0);
      const out = parseJsonExact(get.stdout) as Record<string, unknown[]>;
      expect(out.driver_id).toEqual([1001, 9999]);
      expect(out.conv_rate![0]).toBeCloseTo(0.14, 6); // Float32 on the wire
      expect(out.conv_rate![1]).toBeNull();
      expect(out.avg_daily_trips).toEqual([110, null]);
    }
    expect(existsSync(path.join(repo, 'data', 'online.db'))).toBe(true);
  });

  it('keeps Int64 exact beyond 2^53 through SQLite', async () => {
    writeFileSync(
      path.join(project.dir, 'repo', 'big.jsonl'),
      '{"driver_id": 9007199254740993, "event_timestamp": "2025-01-02T00:00:00Z", "conv_rate": 0.5, "acc_rate": 0.25, "avg_daily_trips": 9223372036854775807}\n',
    );
    expect((await inRepo(['write', 'driver_hourly_stats', 'big.jsonl'])).code).toBe(0);
    const get = await inRepo(['get-online-features', '--features', 'driver_hourly_stats:avg_daily_trips', '--entities', '[{"driver_id": 9007199254740993}]', '--compact']);
    expect(get.stdout).toBe('{"driver_id":[9007199254740993],"avg_daily_trips":[9223372036854775807]}\n');
  });

  it('teardown drops the tables', async () => {
    const r = await inRepo(['teardown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Deleted feature view driver_hourly_stats');
  });
});
