// The release check must fail on a broken package and say which package and
// file: a copy of the workspace where @feast-ts/core's "files" no longer ships
// its generated protobuf schemas (dist/proto/generated/, imported at run time) and @feast-ts/universal-tests lost dist/bin.js
// (its bin) is published to the local registry, and the check's verify stage
// must reject it, naming both, before any consumer install.
//
// Build first (pnpm build). Run: node --test scripts/release-check.test.mjs
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runAsync } from './release-check/util.mjs';
import { copyWorkspace } from './release-check/workspace.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('a package missing a file fails the release check, naming the package and the file', { timeout: 300_000 }, async (t) => {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'feast-release-broken-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const broken = path.join(dir, 'workspace');
  copyWorkspace(ROOT, broken);

  const coreManifest = path.join(broken, 'packages', 'core', 'package.json');
  const core = JSON.parse(readFileSync(coreManifest, 'utf8'));
  assert.ok(core.files.includes('dist') && !core.files.includes('!dist/proto/generated'), 'core ships dist/proto/generated/ today: the break below must remove something real');
  core.files = [...core.files, '!dist/proto/generated'];
  writeFileSync(coreManifest, JSON.stringify(core, null, 2) + '\n');
  const bin = path.join(broken, 'packages', 'universal-tests', 'dist', 'bin.js');
  rmSync(bin);

  const res = await runAsync(process.execPath, [path.join(ROOT, 'scripts', 'release-check.mjs'), '--source', broken, '--stop-after', 'verify'], {
    cwd: ROOT,
    timeout: 280_000,
  });
  const output = `${res.stdout}\n${res.stderr}`;
  assert.equal(res.status, 1, `the check must exit 1 on a broken package; it exited ${res.status}:\n${output.slice(-3000)}`);
  assert.match(res.stderr, /release-check FAILED .*verify: 3 problems:/, output.slice(-3000));
  for (const file of ['feast-types', 'feast-core']) {
    assert.match(res.stderr, new RegExp(`- @feast-ts/core@0\\.0\\.0-release-check-\\d+: dist/proto/generated/${file}\\.js is read at run time but is not in the published tarball`));
  }
  assert.match(res.stderr, /- @feast-ts\/universal-tests@0\.0\.0-release-check-\d+: package\.json names dist\/bin\.js \(bin\.feast-universal-tests\), which is not in the published tarball/);
  // It was published (so the verify stage, not an earlier one, caught it), and nothing else was reported.
  assert.match(res.stdout, /verdaccio received \d+ PUT request/);
  assert.doesNotMatch(output, /consumer:/);
  assert.match(res.stdout, /verdaccio \(pid \d+\) stopped/);
});
