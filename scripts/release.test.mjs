// scripts/release.mjs hands one registry to changesets, npm and pnpm, from
// whichever variable or config names it. Run: node --test scripts/release.test.mjs
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { releaseEnvironment } from './release.mjs';

const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm|pnpm)_config_(registry|@feast-ts:registry)$/i.test(k)));

test('NPM_CONFIG_REGISTRY (upper case) reaches changesets and pnpm under the names they read', () => {
  const { registry, env } = releaseEnvironment({ ...clean, NPM_CONFIG_REGISTRY: 'http://127.0.0.1:4873' });
  assert.equal(registry, 'http://127.0.0.1:4873/');
  assert.equal(env.npm_config_registry, 'http://127.0.0.1:4873/');
  assert.equal(env.pnpm_config_registry, 'http://127.0.0.1:4873/');
  assert.equal(env.NPM_CONFIG_REGISTRY, undefined, 'no second spelling left to disagree');
});

test('pnpm_config_registry alone is used for both tools', () => {
  const { registry, env } = releaseEnvironment({ ...clean, pnpm_config_registry: 'http://127.0.0.1:4874/' });
  assert.equal(registry, 'http://127.0.0.1:4874/');
  assert.equal(env.npm_config_registry, 'http://127.0.0.1:4874/');
});

test('an @feast-ts scope registry wins over the default registry', () => {
  const { registry } = releaseEnvironment({ ...clean, NPM_CONFIG_REGISTRY: 'http://127.0.0.1:1/', 'NPM_CONFIG_@feast-ts:registry': 'http://127.0.0.1:2/' });
  assert.equal(registry, 'http://127.0.0.1:2/');
});

test('two variables naming different registries are refused, naming both', () => {
  assert.throws(
    () => releaseEnvironment({ ...clean, pnpm_config_registry: 'http://127.0.0.1:1/', NPM_CONFIG_REGISTRY: 'http://127.0.0.1:2/' }),
    /pnpm_config_registry \(http:\/\/127\.0\.0\.1:1\/\) and npm_config_registry \(http:\/\/127\.0\.0\.1:2\/\) name different registries/,
  );
});

test('with nothing set, it is the registry npm itself would use', () => {
  const npmSays = spawnSync('npm', ['config', 'get', 'registry'], { env: clean, encoding: 'utf8' }).stdout.trim();
  const { registry, env } = releaseEnvironment(clean);
  assert.equal(registry, npmSays.endsWith('/') ? npmSays : `${npmSays}/`);
  assert.equal(env.pnpm_config_registry, registry);
});
