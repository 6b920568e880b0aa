// Benchmark (not a test) of @feast-ts/sqlite through FeatureStore, the path an
// application takes: writeToOnlineStore (JS rows -> Values -> one transaction)
// and getOnlineFeatures (one onlineRead -> JS columns). Run on built packages:
//   pnpm --filter @feast-ts/bench bench:sqlite        (BENCH_QUICK=1 for a smoke run)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';

const QUICK = Boolean(process.env.BENCH_QUICK);
const ENTITIES = QUICK ? 10_000 : 100_000;
const FEATURES = 10;
const ITERATIONS = QUICK ? { 1: 200, 10: 100, 100: 50, 1000: 10 } : { 1: 2000, 10: 1000, 100: 300, 1000: 50 };

const repo = await mkdtemp(path.join(os.tmpdir(), 'feast-sqlite-bench-'));
await writeFile(path.join(repo, 'feature_store.yaml'), 'project: bench\nonline_store:\n  type: sqlite\n  path: data/online.db\n');
const store = await FeatureStore.open(repo, { resolveFrom: [import.meta.url] });

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const names = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
const view = new FeatureView({
  name: 'stats',
  entities: [driver],
  schema: names.map((name, i) => new Field({ name, dtype: i % 2 ? FeastType.Float64 : FeastType.Int64 })),
});
await store.apply([driver, view]);

const ts = new Date('2026-01-01T00:00:00Z');
const rows = Array.from({ length: ENTITIES }, (_, e) => {
  const row = { driver_id: BigInt(e), event_timestamp: ts };
  names.forEach((n, i) => (row[n] = i % 2 ? e / 7 : BigInt(e * i)));
  return row;
});

let start = performance.now();
await store.writeToOnlineStore('stats', rows);
const writeMs = performance.now() - start;
start = performance.now();
await store.writeToOnlineStore('stats', rows);
const overwriteMs = performance.now() - start;

const features = names.map((n) => `stats:${n}`);
const results = [];
for (const [n, iterations] of Object.entries(ITERATIONS).map(([k, v]) => [Number(k), v])) {
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const entityRows = Array.from({ length: n }, () => ({ driver_id: BigInt(Math.floor(Math.random() * ENTITIES)) }));
    const t = performance.now();
    const out = (await store.getOnlineFeatures({ features, entityRows })).toDict();
    times.push(performance.now() - t);
    if (out.f1.some((v) => v === null)) throw new Error('bench: an existing entity read back as null');
  }
  times.sort((a, b) => a - b);
  results.push({ n, iterations, p50: times[Math.floor(times.length * 0.5)], p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] });
}
await store.close();
await rm(repo, { recursive: true, force: true });

const fmt = (ms) => (ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const rowsPerSecond = (ms) => Math.round((ENTITIES * FEATURES) / (ms / 1000)).toLocaleString('en-US');
console.log(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| operation | size | result |');
console.log('|---|---|---:|');
console.log(`| writeToOnlineStore, into an empty table | ${ENTITIES.toLocaleString('en-US')} entities x ${FEATURES} features | ${rowsPerSecond(writeMs)} rows/s (${fmt(writeMs)} ms) |`);
console.log(`| writeToOnlineStore, the same rows again (all updates) | ${ENTITIES.toLocaleString('en-US')} x ${FEATURES} | ${rowsPerSecond(overwriteMs)} rows/s (${fmt(overwriteMs)} ms) |`);
for (const r of results) {
  console.log(`| getOnlineFeatures, ${r.iterations} calls | ${r.n.toLocaleString('en-US')} entities x ${FEATURES} features | p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms |`);
}
