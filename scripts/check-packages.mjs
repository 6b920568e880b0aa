#!/usr/bin/env node
// Checks what `pnpm release` would publish, from the packed tarballs:
//
// 1. every public package (packages/* without "private": true) is packed with
//    `pnpm pack`; its tarball must hold every file its exports/main/types/bin
//    name and a LICENSE, and nothing beyond package.json, README.md, LICENSE, CHANGELOG.md,
//    dist/** (no source maps) and, for core, proto/**; no `workspace:` range
//    may be left in its package.json;
// 2. publint --strict and arethetypeswrong (--profile esm-only) pass on each
//    tarball;
// 3. @feast-ts/core and @feast-ts/sqlite alone, installed with npm from their
//    tarballs into an empty project, bring no other store's driver
//    (mysql2, redis) and no other feast-ts store, and work there: a script
//    imports both, writes and reads through SqliteOnlineStore, and opens a
//    feature repo with `online_store: sqlite` through FeatureStore.
//
// Build first (`pnpm build`). Usage: node scripts/check-packages.mjs [--no-install] [--keep]
//   --no-install  skip step 3 (it builds better-sqlite3 from source: a minute or two)
//   --keep        keep the temporary directory and print its path
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const INSTALL_SMOKE = ['@feast-ts/core', '@feast-ts/sqlite'];
/** Packages that must not be in node_modules after installing only core + sqlite. */
const FORBIDDEN_AFTER_INSTALL = ['mysql2', 'redis', '@redis/client', '@feast-ts/contrib-mysql', '@feast-ts/cli', '@feast-ts/universal-tests'];
/** Files a package reads at run time besides its exports (core imports the protobuf schemas generated at build time). */
const RUNTIME_FILES = {
  '@feast-ts/core': ['dist/proto/generated/feast-types.js', 'dist/proto/generated/feast-core.js'],
};

const failures = [];
const fail = (pkg, message) => failures.push(`${pkg}: ${message}`);
const log = (message) => console.log(message);

function run(cmd, cmdArgs, options = {}) {
  const res = spawnSync(cmd, cmdArgs, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (res.error) throw new Error(`${cmd} ${cmdArgs.join(' ')}: ${res.error.message}`);
  return res;
}

function publicPackages() {
  const dir = path.join(ROOT, 'packages');
  return readdirSync(dir)
    .sort()
    .map((name) => path.join(dir, name))
    .filter((p) => existsSync(path.join(p, 'package.json')))
    .map((p) => ({ dir: p, manifest: JSON.parse(readFileSync(path.join(p, 'package.json'), 'utf8')) }))
    .filter((p) => !p.manifest.private);
}

/** Every file path named by exports (all conditions), main, module, types and bin. */
function referencedFiles(manifest) {
  const out = new Set();
  const add = (value) => {
    if (typeof value === 'string') {
      if (!value.includes('*')) out.add(path.posix.normalize(value.replace(/^\.\//, '')));
    } else if (Array.isArray(value)) value.forEach(add);
    else if (value && typeof value === 'object') Object.values(value).forEach(add);
  };
  add(manifest.exports);
  add(manifest.main);
  add(manifest.module);
  add(manifest.types);
  add(manifest.typings);
  add(typeof manifest.bin === 'string' ? manifest.bin : manifest.bin && Object.values(manifest.bin));
  return [...out];
}

function isAllowed(file, name) {
  if (['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file)) return true;
  if (file.startsWith('dist/')) return !file.endsWith('.map') && !file.endsWith('.tsbuildinfo') && !/(^|\/)(test|__tests__)\//.test(file);
  if (name === '@feast-ts/core' && file.startsWith('proto/')) return true;
  return false;
}

function workspaceRanges(manifest) {
  const bad = [];
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) if (String(range).startsWith('workspace:')) bad.push(`${field}.${dep}: ${range}`);
  }
  return bad;
}

function packOne(pkg, dest) {
  const before = new Set(readdirSync(dest));
  const res = run('pnpm', ['pack', '--pack-destination', dest], { cwd: pkg.dir });
  if (res.status !== 0) throw new Error(`pnpm pack failed in ${path.relative(ROOT, pkg.dir)}:\n${res.stderr}${res.stdout}`);
  const created = readdirSync(dest).filter((f) => f.endsWith('.tgz') && !before.has(f));
  if (created.length !== 1) throw new Error(`pnpm pack in ${path.relative(ROOT, pkg.dir)} made ${created.length} tarballs`);
  return path.join(dest, created[0]);
}

function tarballFiles(tgz) {
  const res = run('tar', ['-tzf', tgz]);
  if (res.status !== 0) throw new Error(`tar -tzf ${tgz}: ${res.stderr}`);
  return res.stdout
    .split('\n')
    .filter((l) => l && !l.endsWith('/'))
    .map((l) => l.replace(/^package\//, ''));
}

function packedManifest(tgz) {
  const res = run('tar', ['-xzOf', tgz, 'package/package.json']);
  if (res.status !== 0) throw new Error(`cannot read package.json from ${tgz}: ${res.stderr}`);
  return JSON.parse(res.stdout);
}

async function checkPublint(name, tgz) {
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const tarball = readFileSync(tgz);
  const { messages, pkg } = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, strict: true, level: 'suggestion' });
  // With --strict, publint turns warnings into errors; suggestions are reported but do not fail.
  const errors = messages.filter((m) => m.type === 'error' || m.type === 'warning');
  for (const m of messages) {
    const text = formatMessage(m, pkg) ?? m.code;
    if (errors.includes(m)) fail(name, `publint ${m.type}: ${text}`);
    else log(`    publint ${m.type}: ${text}`);
  }
  return errors.length === 0;
}

function checkAttw(name, tgz) {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'attw');
  const res = run(bin, [tgz, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--no-color', '--no-definitely-typed']);
  if (res.status !== 0) {
    fail(name, `arethetypeswrong (--profile esm-only) found problems:\n${(res.stdout + res.stderr).trim().replace(/^/gm, '    ')}`);
    return false;
  }
  return true;
}

function installSmoke(tarballs, tmp) {
  const project = path.join(tmp, 'consumer');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  const env = { ...process.env, npm_config_build_from_source: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  // Native addons (better-sqlite3) build against the Node headers installed here: there is no network to download them.
  if (existsSync('/usr/include/node/node_version.h')) env.npm_config_nodedir = '/usr';
  const files = INSTALL_SMOKE.map((name) => tarballs.get(name));
  log(`  npm install ${files.map((f) => path.basename(f)).join(' ')} (builds better-sqlite3 from source)`);
  const started = Date.now();
  const res = run('npm', ['install', '--no-package-lock', '--loglevel=error', ...files], { cwd: project, env });
  if (res.status !== 0) {
    fail('install', `npm install of ${INSTALL_SMOKE.join(' + ')} failed:\n${(res.stderr + res.stdout).trim().slice(-4000)}`);
    return;
  }
  log(`  installed in ${Math.round((Date.now() - started) / 1000)} s`);

  for (const forbidden of FORBIDDEN_AFTER_INSTALL) {
    if (existsSync(path.join(project, 'node_modules', forbidden))) {
      fail('install', `installing ${INSTALL_SMOKE.join(' + ')} also installed ${forbidden}: no store's driver or other feast-ts package may come with them`);
    }
  }
  if (!existsSync(path.join(project, 'node_modules', 'better-sqlite3'))) fail('install', '@feast-ts/sqlite was installed without better-sqlite3');

  const smoke = `
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@feast-ts/core';
import { SqliteOnlineStore, SqliteOnlineStoreConfig } from '@feast-ts/sqlite';
const { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } = core;

const dir = mkdtempSync(path.join(tmpdir(), 'feast-consumer-'));
const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const view = new FeatureView({ name: 'stats', entities: [driver], schema: [new Field({ name: 'trips', dtype: FeastType.Int64 })] });

// The store class on its own, on a temporary file.
const config = {
  project: 'consumer', registry: path.join(dir, 'registry.db'), provider: 'local',
  onlineStore: SqliteOnlineStoreConfig.parse({ path: path.join(dir, 'online.db') }),
  entityKeySerializationVersion: 3, repoPath: dir,
};
const store = new SqliteOnlineStore();
await store.update(config, [], [view], [], [driver], false);
const key = { joinKeys: ['driver_id'], entityValues: [{ int64Val: 7n }] };
await store.onlineWriteBatch(config, view, [[key, { trips: { int64Val: 12n } }, new Date(), null]]);
const [[ts, features]] = await store.onlineRead(config, view, [key]);
if (!(ts instanceof Date) || features?.trips?.int64Val !== 12n) throw new Error('SqliteOnlineStore read back ' + String(features?.trips?.int64Val));
await store.close();

// The way users meet it: feature_store.yaml with the short name, through FeatureStore.
writeFileSync(path.join(dir, 'feature_store.yaml'), 'project: consumer\\nonline_store:\\n  type: sqlite\\n  path: repo.db\\n');
const fs = await FeatureStore.open(dir);
await fs.apply([driver, view]);
await fs.writeToOnlineStore('stats', [{ driver_id: 1n, trips: 3n, event_timestamp: new Date() }]);
const out = (await fs.getOnlineFeatures({ features: ['stats:trips'], entityRows: [{ driver_id: 1n }, { driver_id: 2n }] })).toDict();
if (out.trips?.[0] !== 3n || out.trips?.[1] !== null) throw new Error('FeatureStore returned ' + JSON.stringify(out, (k, v) => (typeof v === 'bigint' ? String(v) : v)));
await fs.close();
console.log('consumer ok: imported @feast-ts/core and @feast-ts/sqlite; SqliteOnlineStore and FeatureStore (online_store: sqlite) work');
`;
  writeFileSync(path.join(project, 'smoke.mjs'), smoke);
  const smokeRes = run(process.execPath, ['smoke.mjs'], { cwd: project });
  if (smokeRes.status !== 0) fail('install', `the consumer script failed:\n${(smokeRes.stderr + smokeRes.stdout).trim()}`);
  else log(`  ${smokeRes.stdout.trim()}`);
}

async function main() {
  const packages = publicPackages();
  const unbuilt = packages.filter((p) => !existsSync(path.join(p.dir, 'dist')));
  if (unbuilt.length > 0) {
    console.error(`check:packages: build first (pnpm build): no dist/ in ${unbuilt.map((p) => p.manifest.name).join(', ')}`);
    process.exit(1);
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'feast-check-packages-'));
  const tarballs = new Map();
  try {
    for (const pkg of packages) {
      const name = pkg.manifest.name;
      log(`${name}`);
      const tgz = packOne(pkg, tmp);
      tarballs.set(name, tgz);
      const files = tarballFiles(tgz);
      const manifest = packedManifest(tgz);
      const missing = referencedFiles(manifest).filter((f) => !files.includes(f));
      for (const f of missing) fail(name, `package.json names ${f}, which is not in the tarball`);
      for (const f of RUNTIME_FILES[name] ?? []) {
        if (!files.includes(f)) fail(name, `${f} is read at run time but is not in the tarball (add its directory to "files" in package.json)`);
      }
      const extra = files.filter((f) => !isAllowed(f, name));
      if (extra.length > 0) fail(name, `the tarball holds files that must not ship: ${extra.slice(0, 10).join(', ')}${extra.length > 10 ? `, ... (${extra.length})` : ''}`);
      for (const r of workspaceRanges(manifest)) fail(name, `the packed package.json still has a workspace range: ${r}`);
      // pnpm pack (and pnpm publish) copies the repository's LICENSE into a package that has none.
      if (!files.includes('LICENSE')) fail(name, `no LICENSE file in the tarball (package.json says "license": "${manifest.license}")`);
      const publintOk = await checkPublint(name, tgz);
      const attwOk = checkAttw(name, tgz);
      const contentsOk = missing.length === 0 && extra.length === 0 && (RUNTIME_FILES[name] ?? []).every((f) => files.includes(f));
      log(`  ${path.basename(tgz)}: ${files.length} files, ${contentsOk ? 'contents ok' : 'contents WRONG'}, publint ${publintOk ? 'ok' : 'FAILED'}, attw ${attwOk ? 'ok' : 'FAILED'}`);
    }
    if (args.has('--no-install')) log('install check skipped (--no-install)');
    else {
      log(`install ${INSTALL_SMOKE.join(' + ')} from their tarballs into an empty project`);
      const missing = INSTALL_SMOKE.filter((n) => !tarballs.has(n));
      if (missing.length > 0) fail('install', `no public package named ${missing.join(', ')}`);
      else installSmoke(tarballs, tmp);
    }
  } finally {
    if (args.has('--keep')) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }

  if (failures.length > 0) {
    console.error(`\ncheck:packages: ${failures.length} problem${failures.length > 1 ? 's' : ''}:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  log(`\ncheck:packages: ${packages.length} packages ok`);
}

await main();
