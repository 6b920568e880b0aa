#!/usr/bin/env node
// The release path, end to end, on a throwaway local registry:
//
// 1. Verdaccio (installed from npm into .tmp/release-check/ once) on a free
//    loopback port, storage in a temp dir, no uplinks, anonymous publish for
//    @feast-ts/*;
// 2. a copy of the workspace (git's files plus each public package's dist/),
//    where `changeset version --snapshot release-check` gives every public
//    package found in the workspace a snapshot version (the repo is untouched);
// 3. the publish half of `pnpm release` (scripts/release.mjs) in that copy,
//    with NPM_CONFIG_REGISTRY=<local> and every other registry unreachable: all
//    proxy settings point at a loopback proxy that refuses and records
//    requests; npm and pnpm are first shown to fail against the usual registry
//    there, and the proxy must see nothing while publishing;
// 4. verify: each package read back from the registry (no workspace: range,
//    every file package.json names is in the tarball) and no private one there;
// 5. consumer: an empty folder outside the repo installs only @feast-ts/core
//    and @feast-ts/sqlite with --@feast-ts:registry=<local> (everything else
//    from the usual registry), checks nothing else of ours and no other
//    store's driver came along, runs a program against them, runs
//    `npm exec @feast-ts/cli -- --help`, follows `feast-ts init`'s next steps,
//    and runs feast-universal-tests from the installed @feast-ts/universal-tests
//    against a SQLite store configured in that folder.
// Verdaccio is stopped at the end, whatever happens.
//
// Build first (`pnpm build`; `pnpm check:release` does). Usage:
//   node scripts/release-check.mjs [--source DIR] [--stop-after verify] [--keep]
//   --source DIR         the workspace to publish (default: this repository)
//   --stop-after verify  stop after stage 4
//   --keep               keep the temp dir and print its path
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runConsumer } from './release-check/consumer.mjs';
import { withLocalRegistry } from './release-check/local-registry.mjs';
import { CheckFailure, seconds } from './release-check/util.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { source: { type: 'string' }, 'stop-after': { type: 'string' }, keep: { type: 'boolean' } },
});
if (values['stop-after'] !== undefined && values['stop-after'] !== 'verify') {
  console.error(`release-check: --stop-after takes "verify", not "${values['stop-after']}"`);
  process.exit(2);
}
const log = (line) => console.log(line);
const started = Date.now();
try {
  await withLocalRegistry(
    { root: ROOT, source: path.resolve(values.source ?? ROOT), keep: values.keep === true, stopAfter: values['stop-after'], log },
    (ctx) => runConsumer({ root: ROOT, ...ctx }),
  );
  log(`\nrelease-check: ok in ${seconds(started)}`);
} catch (err) {
  console.error(`\nrelease-check FAILED after ${seconds(started)}: ${err instanceof CheckFailure ? err.message : err?.stack ?? err}`);
  process.exitCode = 1;
}
