/**
 * One writer of the concurrency test, run as its own process:
 *   node --import tsx test/child-apply.ts <url> <repoPath> <project> <writer> <count>
 * Connects, prints "ready", waits for a line on stdin (the parent sends it once both writers are
 * ready, so they run together), then `count` times: applies an entity of
 * its own through SqlRegistry, and appends its writer byte to one shared row (a read-modify-write
 * of the same row by both writers). Prints one JSON line of what it did.
 */
import { Entity, ValueType, type RegistryConfig, type RepoConfig } from '@feast-ts/core';
import { applyRows, engineOptions, openDriver, parseSqlAlchemyUrl, SqlRegistry } from '../src/index.js';

const [url, repoPath, project, writer, countText] = process.argv.slice(2) as [string, string, string, string, string];
const count = Number(countText);
const registryConfig: RegistryConfig = { registryType: 'sql', path: url, cacheTtlSeconds: 0, enableOnlineFeatureViewVersioning: false, options: { registry_type: 'sql', path: url } };
const registry = new SqlRegistry(registryConfig, { project, repoPath, registryConfig } as unknown as RepoConfig);
const driver = await openDriver(parseSqlAlchemyUrl(url), engineOptions(undefined), repoPath);
const byte = writer === 'a' ? 0x61 : 0x62;

// Connected (and the tables made) before the start, so both writers race from the first apply.
await registry.listProjects();
const ready = Date.now();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const started = Date.now();
let attempts = 0;
for (let i = 0; i < count; i++) {
  const entity = new Entity({ name: `e_${writer}_${i}`, joinKeys: [`k_${writer}_${i}`], valueType: ValueType.INT64 });
  await registry.apply(project, [{ op: 'put', object: entity }]);
  const r = await applyRows(driver, {
    project,
    writes: [{ kind: 'dataSources', name: 'shared', build: (old) => new Uint8Array([...(old ?? []), byte]) }],
    deletes: [],
    newProject: () => new Uint8Array(0),
  });
  attempts += r.attempts;
}
const ended = Date.now();
await registry.close();
await driver.close();
console.log(JSON.stringify({ writer, count, attempts, ready, started, ended }));
process.stdin.destroy();
