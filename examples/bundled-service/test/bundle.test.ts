/**
 * The service in src/main.ts, bundled with esbuild into one file with better-sqlite3 (a native
 * addon, which cannot be bundled) left outside, runs with node from a temporary directory outside
 * the repository that holds only the bundle and node_modules/better-sqlite3.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'feast-ts-bundled-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The better-sqlite3 package @feast-ts/sqlite depends on (its directory). */
function betterSqlite3Dir(): string {
  const fromSqlite = createRequire(createRequire(import.meta.url).resolve('@feast-ts/sqlite'));
  return path.dirname(fromSqlite.resolve('better-sqlite3/package.json'));
}

it('applies, writes and serves features from one bundled file, outside the repo', async () => {
  const outfile = path.join(dir, 'service.mjs');
  await build({
    entryPoints: [path.join(here, '..', 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    external: ['better-sqlite3'],
    // CommonJS dependencies (protobufjs, better-sqlite3's loader) call require(); an ESM bundle provides it.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(betterSqlite3Dir(), path.join(dir, 'node_modules', 'better-sqlite3'), 'dir');
  const bundle = readFileSync(outfile, 'utf8');
  expect(bundle).not.toMatch(/feast\/(types|core)\/\w+\.proto/);
  expect(bundle).toMatch(/from ["']better-sqlite3["']|require\(["']better-sqlite3["']\)/); // left outside, not inlined

  const repo = path.join(dir, 'repo');
  mkdirSync(repo);
  writeFileSync(path.join(repo, 'feature_store.yaml'), 'project: bundled\nregistry: data/registry.db\nonline_store:\n  type: sqlite\n  path: data/online.db\n');
  const out = execFileSync(process.execPath, ['service.mjs', repo], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  expect(existsSync(path.join(repo, 'data', 'registry.db'))).toBe(true);
  expect(existsSync(path.join(repo, 'data', 'online.db'))).toBe(true);
  const body = JSON.parse(out) as { metadata: { feature_names: string[] }; results: Array<{ values: unknown[]; statuses: string[] }> };
  expect(body.metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'trips', 'city']);
  expect(body.results.map((r) => r.values)).toEqual([
    [1002, 1001, 999],
    [0.25, 0.5, null],
    [7, '9007199254740993', null],
    ['Oslo', 'Lyon', null],
  ]);
  expect(body.results[1]!.statuses).toEqual(['PRESENT', 'PRESENT', 'NOT_FOUND']);
});
