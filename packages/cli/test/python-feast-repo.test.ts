import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJsonExact } from '../src/json-exact.js';
import { cli, SQLITE_DIR } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/python-repo/', import.meta.url));
const sqliteBuilt = existsSync(path.join(SQLITE_DIR, 'dist', 'index.js'));
if (!sqliteBuilt) {
  const msg = '[cli] packages/sqlite/dist is missing: build @feast-ts/sqlite to run the Python-repo test.';
  if (process.env.CI) throw new Error(msg);
  console.warn(msg);
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function repo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feast-ts-pyrepo-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe.skipIf(!sqliteBuilt)('the CLI on a Python Feast repo', () => {
  it('serves a feature service: get-online-features --feature-service', async () => {
    const dir = repo();
    const res = await cli(dir, ['get-online-features', '--feature-service', 'driver_activity_v1', '--entity', 'driver_id=1001', '--entity', 'driver_id=5', '--compact']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(parseJsonExact(res.stdout)).toEqual({ driver_id: [1001, 5], conv_rate: [1.5, null], avg_daily_trips: [1001, null], total_rides: [1001, 1001] });
    const aliased = await cli(dir, ['get-online-features', '--feature-service', 'driver_activity_aliased', '--entity', 'driver_id=1001', '--full-feature-names', '--compact']);
    expect(parseJsonExact(aliased.stdout)).toEqual({ driver_id: [1001], dhs__conv_rate: [1.5] });
  });

  it('a feature service needing an on-demand view fails naming it', async () => {
    const res = await cli(repo(), ['get-online-features', '--feature-service', 'needs_python', '--entity', 'driver_id=1001']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/"conv_rate_plus_val" is an on-demand feature view.*Python.*\[NOT_SERVABLE\]/);
  });

  it('lists entities, feature views and feature services as Feast names them', async () => {
    const dir = repo();
    const entities = await cli(dir, ['entities', 'list']);
    expect(entities.code).toBe(0);
    expect(entities.stdout.split('\n')[0]).toMatch(/^NAME\s+JOIN KEY\s+TYPE\s+DESCRIPTION$/);
    expect(entities.stdout).toMatch(/^driver\s+driver_id\s+INT64\s+A driver$/m);
    expect(entities.stdout).toMatch(/^customer\s+customer_id\s+STRING$/m);
    const views = await cli(dir, ['feature-views', 'list', '--output', 'json']);
    const list = parseJsonExact(views.stdout) as Array<{ name: string; type: string }>;
    expect(list.map((v) => `${v.type}:${v.name}`).sort()).toEqual([
      'FeatureView:customer_driver_pairs', 'FeatureView:driver_hourly_stats', 'FeatureView:global_stats', 'FeatureView:offline_only',
      'OnDemandFeatureView:conv_rate_plus_val', 'StreamFeatureView:driver_stream',
    ]);
    const services = await cli(dir, ['feature-services', 'list']);
    expect(services.stdout).toMatch(/^driver_activity_v1\s+driver_hourly_stats:conv_rate, driver_hourly_stats:avg_daily_trips, global_stats:total_rides$/m);
    expect(services.stdout).toMatch(/^driver_activity_aliased\s+dhs:conv_rate$/m);
    const bad = await cli(dir, ['entities', 'show']);
    expect(bad.code).toBe(2);
  });

  it('registry-dump prints the project objects, other projects left out', async () => {
    const res = await cli(repo(), ['registry-dump']);
    expect(res.code).toBe(0);
    const dump = parseJsonExact(res.stdout) as Record<string, Array<{ spec: { name: string; project: string } }>>;
    expect(dump.entities!.map((e) => e.spec.name)).toEqual(['driver', 'customer', '__dummy']);
    expect(dump.entities!.every((e) => e.spec.project === 'driver_ranking')).toBe(true);
    expect(dump.onDemandFeatureViews!.map((e) => e.spec.name)).toEqual(['conv_rate_plus_val']);
  });

  it('apply without TypeScript definitions says Python definitions are applied with Python Feast', async () => {
    const dir = repo();
    const before = readFileSync(path.join(dir, 'data', 'registry.db'));
    const res = await cli(dir, ['apply']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/No TypeScript definitions in .*Python definitions \(\*\.py\) are applied with Python Feast \(`feast apply`\); feast-ts reads the registry it writes/);
    expect(readFileSync(path.join(dir, 'data', 'registry.db')).equals(before)).toBe(true);
  });
});
