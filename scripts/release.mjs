#!/usr/bin/env node
// The publish half of `pnpm release`: `changeset publish`, sent to the registry
// the environment names. Arguments are passed through (`--tag next`, `--otp`).
//
// Why a wrapper: changesets picks the registry from package.json's
// publishConfig or from the lower-case `npm_config_registry` variable only, and
// falls back to the public registry otherwise. It then passes that registry to
// `npm info` explicitly and to `pnpm publish` as `npm_config_registry`, which
// pnpm 12 does not read (pnpm reads `pnpm_config_*` variables and .npmrc). So a
// registry set with `NPM_CONFIG_REGISTRY`, `pnpm_config_registry` or in .npmrc
// was ignored: `npm info` asked the public registry and `pnpm publish` went to
// whatever pnpm's own config said.
//
// This script resolves the registry once, the way npm and pnpm would for an
// `@feast-ts/*` package, and hands the same value to both tools:
//   1. `@feast-ts:registry` (env `NPM_CONFIG_@feast-ts:registry`, or .npmrc);
//   2. `registry`: `pnpm_config_registry`, `npm_config_registry` /
//      `NPM_CONFIG_REGISTRY` (any case), or .npmrc (project, user, global);
//   3. otherwise the default public registry.
// Provenance: with NPM_CONFIG_PROVENANCE=true (the release workflow sets it,
// with the OIDC token of `id-token: write`), every `pnpm publish` gets
// `--provenance`, which pnpm 12 takes only as a flag: a `pnpm` earlier on PATH
// adds it. Leave it unset for a registry without attestations (Verdaccio).
// Credentials stay where npm and pnpm look for them (`//host/:_authToken` in an
// .npmrc, e.g. `${NPM_TOKEN}`); this script never reads them.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCOPE = '@feast-ts';

/** The value of an environment variable, its name matched case-insensitively (as npm does). */
function envAnyCase(env, name) {
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase() && env[k]);
  return key === undefined ? undefined : env[key];
}

function configGet(tool, key, env) {
  const res = spawnSync(tool, ['config', 'get', key], { cwd: ROOT, env, encoding: 'utf8' });
  if (res.error || res.status !== 0) throw new Error(`release: \`${tool} config get ${key}\` failed: ${res.error?.message ?? res.stderr.trim()}`);
  const value = res.stdout.trim();
  return value === '' || value === 'undefined' || value === 'null' ? undefined : value;
}

const withSlash = (url) => (url.endsWith('/') ? url : `${url}/`);

/**
 * The registry an `@feast-ts/*` package is published to, and the environment
 * that makes changesets, npm and pnpm all use it.
 */
export function releaseEnvironment(env = process.env) {
  const pnpmOwn = envAnyCase(env, 'pnpm_config_registry');
  const npmEnv = envAnyCase(env, 'npm_config_registry');
  const scoped = configGet('npm', `${SCOPE}:registry`, env);
  if (pnpmOwn && npmEnv && withSlash(pnpmOwn) !== withSlash(npmEnv)) {
    throw new Error(`release: pnpm_config_registry (${pnpmOwn}) and npm_config_registry (${npmEnv}) name different registries: set one.`);
  }
  const registry = withSlash(scoped ?? pnpmOwn ?? npmEnv ?? configGet('npm', 'registry', env));
  const out = { ...env };
  for (const k of Object.keys(out)) {
    if (['npm_config_registry', 'pnpm_config_registry'].includes(k.toLowerCase())) delete out[k];
  }
  // changesets reads only the lower-case name; pnpm reads only its own prefix.
  out.npm_config_registry = registry;
  out.pnpm_config_registry = registry;
  // A scope registry that pnpm reads from an .npmrc wins over pnpm_config_registry: it must agree.
  const pnpmScoped = configGet('pnpm', `${SCOPE}:registry`, out);
  if (pnpmScoped !== undefined && withSlash(pnpmScoped) !== registry) {
    throw new Error(
      `release: npm would publish ${SCOPE}/* to ${registry} but pnpm to ${pnpmScoped} (its ${SCOPE}:registry setting). ` +
        `Set ${SCOPE}:registry in an .npmrc (both tools read it) rather than in the environment, or make them agree.`,
    );
  }
  return { registry, env: out };
}

/** The absolute path of the `pnpm` that PATH finds. */
function realPnpm(env) {
  const res = spawnSync('sh', ['-c', 'command -v pnpm'], { env, encoding: 'utf8' });
  const found = res.stdout.trim();
  if (res.status !== 0 || !found) throw new Error('release: pnpm is not on PATH (changesets publishes with it): npm install -g pnpm@12.4.2');
  return found;
}

/** A directory holding a `pnpm` that runs the real one, adding `--provenance` to `publish`. */
function provenanceShim(env) {
  const dir = mkdtempSync(path.join(tmpdir(), 'feast-release-pnpm-'));
  const shim = path.join(dir, 'pnpm');
  const real = JSON.stringify(realPnpm(env));
  writeFileSync(shim, `#!/bin/sh\nif [ "$1" = publish ]; then shift; exec ${real} publish --provenance "$@"; fi\nexec ${real} "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

function main() {
  const { registry, env } = releaseEnvironment();
  const provenance = envAnyCase(env, 'npm_config_provenance') === 'true';
  let shimDir;
  if (provenance) {
    shimDir = provenanceShim(env);
    env.PATH = `${shimDir}${path.delimiter}${env.PATH ?? ''}`;
  }
  console.log(`release: publishing to ${registry}${provenance ? ' with provenance' : ''}`);
  const bin = path.join(ROOT, 'node_modules', '.bin', 'changeset');
  const res = spawnSync(bin, ['publish', ...process.argv.slice(2)], { cwd: ROOT, env, stdio: 'inherit' });
  if (shimDir) rmSync(shimDir, { recursive: true, force: true });
  if (res.error) throw res.error;
  process.exit(res.status ?? 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
