// better-sqlite3 in the consumer folder without a compile: its install script
// (prebuild-install) normally downloads a prebuilt binary from its project's
// release host, which this machine cannot reach, and then compiles from source
// for minutes. The workspace has already compiled the same version for this
// Node, so it is packed as the prebuilt archive prebuild-install looks for in
// a local folder. Any other version finds no archive there, its download is
// pointed at a closed loopback port (fails at once) and it compiles as usual.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from './loopback.mjs';
import { run } from './util.mjs';

/** npm's warning about the variables above, dropped from what the check shows. */
export const NPM_NOISE = /^npm warn Unknown env config "better-sqlite3-[a-z-]+"\..*\n?/gm;

/** Environment variables for npm that let better-sqlite3 install from the workspace's build; `note` says which. */
export async function sqlitePrebuildEnv(root, workDir) {
  // prebuild-install reads these from the environment (npm warns that it does not know them: see NPM_NOISE).
  const env = {};
  env.npm_config_better_sqlite3_binary_host = `http://127.0.0.1:${await freePort()}`;
  let pkgDir;
  try {
    const require = createRequire(path.join(root, 'packages', 'sqlite', 'package.json'));
    pkgDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  } catch {
    return { env, note: 'no better-sqlite3 in the workspace: it compiles from source' };
  }
  const { version } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const binary = path.join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binary)) return { env, note: `better-sqlite3 ${version} is not built in the workspace: it compiles from source` };
  const dir = path.join(workDir, 'prebuilds');
  mkdirSync(dir, { recursive: true });
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const res = run('tar', ['-czf', path.join(dir, name), '-C', pkgDir, 'build/Release/better_sqlite3.node']);
  if (res.status !== 0) return { env, note: `could not pack better-sqlite3's binary (${res.stderr.trim()}): it compiles from source` };
  env.npm_config_better_sqlite3_local_prebuilds = dir;
  return { env, note: `better-sqlite3 ${version}: prebuilt archive from the workspace's build (${name})` };
}

/** Whether the better-sqlite3 installed under `project` was compiled there (node-gyp leaves its object files). */
export function compiledInPlace(project) {
  return existsSync(path.join(project, 'node_modules', 'better-sqlite3', 'build', 'Release', 'obj.target'));
}
