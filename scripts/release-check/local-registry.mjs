// A local registry holding a snapshot of every public package, published the
// way a release publishes (scripts/release.mjs in a throwaway copy of the
// workspace) with every other registry unreachable, and read back.
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRefusingProxy } from './loopback.mjs';
import { proveUsualRegistryUnreachable, publishToLocalRegistry, unreachableEnv } from './publish.mjs';
import { verifyPublished } from './verify-published.mjs';
import { installVerdaccio, startVerdaccio } from './verdaccio.mjs';
import { seconds } from './util.mjs';
import { copyWorkspace, listWorkspace, snapshotVersions } from './workspace.mjs';

export const SNAPSHOT_TAG = 'release-check';

/**
 * Starts a local registry, publishes every public package of the workspace at
 * `source` to it and checks what it holds, then calls `fn({ url, versions,
 * workDir, log })`. Stops the registry and removes the temp dir (unless
 * `keep`) whatever happens. `stopAfter: 'verify'` skips `fn`.
 */
export async function withLocalRegistry({ root, source, keep = false, stopAfter, log }, fn) {
  const started = Date.now();
  const workDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'feast-release-check-')));
  const cleanups = [];
  const cleanup = async () => {
    while (cleanups.length > 0) await cleanups.pop()();
  };
  const onSignal = (signal) => {
    cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (!keep) cleanups.push(async () => rmSync(workDir, { recursive: true, force: true }));
    else cleanups.push(async () => log(`kept ${workDir}`));

    let t = Date.now();
    log('verdaccio');
    const bin = installVerdaccio(path.join(root, '.tmp', 'release-check'), log);
    const registry = await startVerdaccio(bin, path.join(workDir, 'verdaccio'));
    cleanups.push(async () => {
      await registry.stop();
      log(`verdaccio (pid ${registry.pid}) stopped`);
    });
    log(`  listening on ${registry.url} (pid ${registry.pid}), storage in ${path.join(workDir, 'verdaccio', 'storage')} [${seconds(t)}]`);

    t = Date.now();
    const copy = path.join(workDir, 'workspace');
    log(`snapshot: copy of ${source} in ${copy}`);
    copyWorkspace(source, copy);
    const versions = snapshotVersions(copy, SNAPSHOT_TAG);
    const privateNames = listWorkspace(copy).filter((p) => p.private).map((p) => p.name);
    for (const [name, version] of versions) log(`  ${name} -> ${version}`);
    log(`  [${seconds(t)}]`);

    t = Date.now();
    const proxy = await startRefusingProxy();
    cleanups.push(() => proxy.close());
    const env = unreachableEnv(process.env, proxy.url);
    log('publish: scripts/release.mjs (the publish half of `pnpm release`) with NPM_CONFIG_REGISTRY=' + registry.url);
    const coreDeps = JSON.parse(readFileSync(path.join(copy, 'packages', 'core', 'package.json'), 'utf8')).dependencies ?? {};
    const probe = Object.keys(coreDeps).find((d) => !d.startsWith('@feast-ts/')) ?? 'zod';
    log(`  ${await proveUsualRegistryUnreachable(copy, env, proxy, probe)}`);
    const output = await publishToLocalRegistry(copy, env, proxy, registry.url);
    const puts = (registry.readLog().match(/requested 'PUT \/@feast-ts%2f/gi) ?? []).length;
    log(`  ${output.match(/publishing to \S+/)?.[0] ?? 'published'}; 0 requests went past the guard; verdaccio received ${puts} PUT request(s) [${seconds(t)}]`);

    t = Date.now();
    log('verify: read every package back from the registry');
    for (const line of await verifyPublished({ url: registry.url, versions, privateNames, workDir })) log(line);
    log(`  [${seconds(t)}]`);

    if (stopAfter !== 'verify') await fn({ url: registry.url, versions, workDir, log });
    log(`local registry stages done in ${seconds(started)}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}
