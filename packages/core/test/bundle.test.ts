/**
 * A service bundled with esbuild into one file works: the protobuf schemas are code (generated at
 * build time, scripts/generate-proto.mjs), not .proto files read from disk next to the package.
 * The bundle runs with node from a temporary directory outside the repository, holding nothing
 * but the bundle and a copy of Feast's registry.db.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { deserializeEntityKey, EntityKeyProto, serializeEntityKey, ValueProto } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, 'fixtures', 'feast-registry');
const dir = mkdtempSync(path.join(tmpdir(), 'feast-ts-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('@feast-ts/core bundled with esbuild into one file', () => {
  it('reads a registry.db and encodes and decodes values, run from a directory outside the repo', async () => {
    const outfile = path.join(dir, 'app.mjs');
    await build({
      entryPoints: [path.join(here, 'fixtures', 'bundle-app', 'main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      // CommonJS dependencies (protobufjs) call require(); an ESM bundle provides it.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
    copyFileSync(path.join(fixture, 'registry.db'), path.join(dir, 'registry.db'));
    const bundle = readFileSync(outfile, 'utf8');
    expect(bundle).not.toMatch(/feast\/(types|core)\/\w+\.proto/); // no Feast .proto file named, let alone read
    expect(dir.startsWith(path.resolve(here, '../../..'))).toBe(false);

    const out = execFileSync(process.execPath, ['app.mjs', 'registry.db'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    const got = JSON.parse(out) as Record<string, unknown>;

    const expected = JSON.parse(readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as {
      entities: Record<string, unknown>;
      feature_views: Record<string, { features?: Record<string, string> }>;
    };
    expect(got['entities']).toEqual(Object.keys(expected.entities).sort());
    expect(got['featureViews']).toEqual(expect.arrayContaining(Object.keys(expected.feature_views).filter((v) => v !== 'offline_only').sort()));
    expect(got['driverHourlyStats']).toEqual(Object.keys(expected.feature_views['driver_hourly_stats']!.features!));

    // The same work through the library as the tests load it (unbundled).
    const values = [{ int64Val: 9007199254740993n }, { stringVal: 'café ☕' }, { doubleListVal: { val: [0.5, -1.25] } }, { boolVal: true }];
    const key = { joinKeys: ['driver_id'], entityValues: [{ int64Val: 1001n }] };
    expect(got['values']).toEqual(values.map((v) => hex(ValueProto.encode(v))));
    expect(got['decoded']).toEqual([{ int64Val: '9007199254740993n' }, { stringVal: 'café ☕' }, { doubleListVal: { val: [0.5, -1.25] } }, { boolVal: true }]);
    expect(got['entityKey']).toBe(hex(serializeEntityKey(key)));
    expect(got['entityKeyBack']).toEqual({ joinKeys: ['driver_id'], entityValues: [{ int64Val: '1001n' }] });
    expect(deserializeEntityKey(serializeEntityKey(key))).toEqual(key);
    expect(got['entityKeyProto']).toBe(hex(EntityKeyProto.encode(key)));
  }, 60_000);
});
