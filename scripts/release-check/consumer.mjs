// A user's empty folder outside the repository, installing from the local
// registry only what is scoped @feast-ts (everything else from the usual
// registry): core + sqlite alone, a small program against them, the CLI's
// --help and its `init` next steps followed as printed, and the universal
// suite's bin from the installed @feast-ts/universal-tests against a store
// configured in that folder.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compiledInPlace, NPM_NOISE, sqlitePrebuildEnv } from './sqlite-prebuild.mjs';
import { CheckFailure, envWithout, run as runRaw, runOk as runOkRaw, seconds } from './util.mjs';

const tidy = (res) => ({ ...res, stdout: res.stdout.replace(NPM_NOISE, ''), stderr: res.stderr.replace(NPM_NOISE, '') });
const run = (...args) => tidy(runRaw(...args));
function runOk(...args) {
  try {
    return tidy(runOkRaw(...args));
  } catch (err) {
    throw new Error(err.message.replace(NPM_NOISE, ''));
  }
}

export const INSTALL_ALONE = ['@feast-ts/core', '@feast-ts/sqlite'];
/** Drivers of other stores: none may come with core + sqlite. */
const FOREIGN_DRIVERS = ['mysql2', 'redis', '@redis/client', 'ioredis', 'pg', 'postgres'];

/** Every package name installed anywhere under `dir/node_modules` (nested ones too). */
function installedNames(dir, out = new Set()) {
  const nm = path.join(dir, 'node_modules');
  if (!existsSync(nm)) return out;
  for (const entry of readdirSync(nm)) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? readdirSync(path.join(nm, entry)).map((e) => `${entry}/${e}`) : [entry];
    for (const name of names) {
      out.add(name);
      installedNames(path.join(nm, name), out);
    }
  }
  return out;
}

const APP = `// Opens a feature repo on the SQLite store, applies definitions, writes and reads.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';
import { SqliteOnlineStore } from '@feast-ts/sqlite';

const repo = path.resolve('feature_repo');
mkdirSync(repo, { recursive: true });
writeFileSync(path.join(repo, 'feature_store.yaml'), 'project: consumer\\nonline_store:\\n  type: sqlite\\n  path: data/online.db\\n');
const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const stats = new FeatureView({ name: 'stats', entities: [driver], schema: [new Field({ name: 'trips', dtype: FeastType.Int64 })] });

const store = await FeatureStore.open(repo);
await store.apply([driver, stats]);
await store.writeToOnlineStore('stats', [{ driver_id: 9007199254740993n, trips: 12n, event_timestamp: new Date() }]);
const out = (await store.getOnlineFeatures({ features: ['stats:trips'], entityRows: [{ driver_id: 9007199254740993n }, { driver_id: 2n }] })).toDict();
await store.close();
if (out.trips?.[0] !== 12n || out.trips?.[1] !== null) throw new Error('read back ' + JSON.stringify(out, (k, v) => (typeof v === 'bigint' ? String(v) : v)));
if (typeof SqliteOnlineStore !== 'function') throw new Error('@feast-ts/sqlite has no SqliteOnlineStore export');
console.log('app ok: opened ' + repo + ', applied 2 objects, wrote and read driver 9007199254740993 (trips 12), driver 2 missing');
`;

const UNIVERSAL_CONFIGS = `// The universal suite's configs for this folder: the SQLite store, its
// database files under ./universal-store/ (one directory per config instance).
import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const STORE_DIR = path.join(HERE, 'universal-store');
let n = 0;

class FolderSqliteCreator {
  constructor(projectName) { this.dir = path.join(STORE_DIR, projectName + '-' + process.pid + '-' + n++); }
  async createOnlineStore() {
    mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, 'online.db');
    appendFileSync(path.join(STORE_DIR, 'created.log'), file + '\\n');
    return { type: 'sqlite', path: file };
  }
  async teardown() { rmSync(this.dir, { recursive: true, force: true }); }
}

export const FULL_REPO_CONFIGS = [{ name: 'sqlite-in-this-folder', onlineStore: { type: 'sqlite' }, creator: FolderSqliteCreator }];
`;

/** Runs the consumer stage in `<workDir>/consumer`; throws a CheckFailure naming what failed. */
export async function runConsumer({ root, url, versions, workDir, log }) {
  const project = path.join(workDir, 'consumer');
  if (!path.relative(root, project).startsWith('..')) throw new Error(`the consumer folder ${project} is inside the repository`);
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'release-check-consumer', private: true, type: 'module' }, null, 2) + '\n');
  const prebuild = await sqlitePrebuildEnv(root, workDir);
  const env = { ...envWithout(process.env, ['npm_config_build_from_source']), ...prebuild.env, npm_config_update_notifier: 'false' };
  const scope = `--@feast-ts:registry=${url}`;
  const npm = (args, cwd = project) => runOk('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env });
  const problems = [];
  const fail = (message) => {
    problems.push(message);
    throw new CheckFailure('consumer', problems);
  };

  let t = Date.now();
  log(`consumer: empty folder ${project}`);
  log(`  ${prebuild.note}`);
  log(`  npm install ${INSTALL_ALONE.join(' ')} ${scope}`);
  npm(['install', ...INSTALL_ALONE, scope]);
  const installed = installedNames(project);
  const feast = [...installed].filter((n) => n.startsWith('@feast-ts/')).sort();
  const extraFeast = feast.filter((n) => !INSTALL_ALONE.includes(n));
  if (extraFeast.length > 0) problems.push(`installing ${INSTALL_ALONE.join(' + ')} also installed ${extraFeast.join(', ')}`);
  for (const d of FOREIGN_DRIVERS) if (installed.has(d)) problems.push(`installing ${INSTALL_ALONE.join(' + ')} also installed ${d}, another store's driver`);
  for (const name of INSTALL_ALONE) {
    const file = path.join(project, 'node_modules', name, 'package.json');
    const got = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : 'nothing';
    if (got !== versions.get(name)) problems.push(`${name}: installed ${got}, not the snapshot ${versions.get(name)} from the local registry`);
  }
  if (!installed.has('better-sqlite3')) problems.push('@feast-ts/sqlite was installed without better-sqlite3');
  if (problems.length > 0) throw new CheckFailure('consumer', problems);
  log(`  installed ${installed.size} packages; @feast-ts: ${feast.join(', ')} at the snapshot versions; no ${FOREIGN_DRIVERS.join('/')}; better-sqlite3 ${compiledInPlace(project) ? 'compiled from source' : 'from the prebuilt archive'} [${seconds(t)}]`);

  t = Date.now();
  writeFileSync(path.join(project, 'app.mjs'), APP);
  const app = run(process.execPath, ['app.mjs'], { cwd: project, env });
  if (app.status !== 0) fail(`the program against @feast-ts/core + @feast-ts/sqlite failed:\n${(app.stderr + app.stdout).trim().slice(-3000)}`);
  log(`  ${app.stdout.trim()} [${seconds(t)}]`);

  t = Date.now();
  log(`  npm install @feast-ts/cli ${scope}; npm exec @feast-ts/cli -- --help`);
  npm(['install', '@feast-ts/cli', scope]);
  const help = run('npm', ['exec', scope, '@feast-ts/cli', '--', '--help'], { cwd: project, env });
  if (help.status !== 0 || !/\binit\b/.test(help.stdout) || !/\bapply\b/.test(help.stdout)) {
    fail(`\`npm exec @feast-ts/cli -- --help\` exited with ${help.status} and did not list the commands:\n${(help.stdout + help.stderr).trim().slice(-2000)}`);
  }
  log(`  feast-ts --help: ${help.stdout.trim().split('\n')[0]} [${seconds(t)}]`);

  t = Date.now();
  followInitSteps({ project, env, scope, fail, log });
  log(`  [${seconds(t)}]`);

  t = Date.now();
  log(`  npm install @feast-ts/universal-tests vitest@^4 ${scope}; npx feast-universal-tests --configs ./universal-configs.mjs`);
  npm(['install', '@feast-ts/universal-tests', 'vitest@^4', scope]);
  writeFileSync(path.join(project, 'universal-configs.mjs'), UNIVERSAL_CONFIGS);
  mkdirSync(path.join(project, 'universal-store'));
  const suite = run('npx', ['--no-install', 'feast-universal-tests', '--configs', './universal-configs.mjs'], { cwd: project, env: { ...env, CI: 'true' } });
  const summary = (suite.stdout + suite.stderr).replace(/\x1b\[[0-9;]*m/g, '').match(/Tests\s+(.*)/)?.[1]?.trim();
  if (suite.status !== 0) fail(`the universal suite (feast-universal-tests from the installed @feast-ts/universal-tests) failed:\n${(suite.stdout + suite.stderr).trim().slice(-4000)}`);
  const createdLog = path.join(project, 'universal-store', 'created.log');
  const created = existsSync(createdLog) ? readFileSync(createdLog, 'utf8').trim().split('\n').filter(Boolean) : [];
  if (created.length === 0 || created.some((f) => !f.startsWith(project))) fail(`the universal suite did not use the store configured in ${project} (created.log: ${created.join(', ') || 'empty'})`);
  if (!summary || !/\d+ passed/.test(summary)) fail(`the universal suite printed no test count:\n${(suite.stdout + suite.stderr).trim().slice(-2000)}`);
  log(`  universal suite: ${summary}; ${created.length} database(s) made under ${path.join(project, 'universal-store')} [${seconds(t)}]`);
}

/**
 * `feast-ts init demo_repo`, then its printed "Next steps" run as printed, in a
 * shell, except that `npm install` gets the local registry for @feast-ts/*.
 */
function followInitSteps({ project, env, scope, fail, log }) {
  const init = run('npm', ['exec', scope, '@feast-ts/cli', '--', 'init', 'demo_repo'], { cwd: project, env });
  if (init.status !== 0) fail(`\`feast-ts init demo_repo\` exited with ${init.status}:\n${(init.stdout + init.stderr).trim()}`);
  const after = init.stdout.split(/^Next steps:\s*$/m)[1];
  if (!after) fail(`\`feast-ts init\` printed no "Next steps:":\n${init.stdout}`);
  if (/source checkout/.test(after)) fail(`\`feast-ts init\` installed from the registry says it runs from a source checkout:\n${after}`);
  const steps = after.replace(/^\n+/, '').split(/\n\s*\n/)[0].split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
  log(`  feast-ts init demo_repo; its next steps: ${steps.join(' && ')}`);
  const script = steps.map((s) => (/^npm (install|i)\b/.test(s) ? `${s} ${scope} --no-audit --no-fund --loglevel=error` : s)).join(' && ');
  const res = run('bash', ['-euo', 'pipefail', '-c', script], { cwd: project, env });
  const out = (res.stdout + res.stderr).trim();
  if (res.status !== 0) fail(`following \`feast-ts init\`'s next steps failed (${script}):\n${out.slice(-3000)}`);
  const last = res.stdout.trim().split('\n').slice(-4).join('\n');
  if (!/1001/.test(last) || !/\d\.\d/.test(last)) fail(`\`feast-ts init\`'s last step printed no feature values for driver 1001:\n${last}`);
  log(`  next steps ok; the last one printed:\n${last.replace(/^/gm, '    ')}`);
}
