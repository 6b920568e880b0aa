// Benchmark (not a test) of @feast-ts/sqlite's store calls on core's row pipeline
// (DriverOnlineStore), each beside a raw better-sqlite3 comparator run in the same
// process on the same file, alternated, medians reported:
// - read: onlineRead of 100 entities x 200 features (every feature of the view asked for)
//   against the raw per-row fetch (the store's numbered-VALUES CROSS JOIN SELECT, rows only,
//   nothing decoded);
// - write: onlineWriteBatch of 10,000 entities x 10 features (upserts) against a raw prepared
//   upsert of the same rows pre-encoded (key bytes, value bytes, value_text, seconds), in one transaction.
// Run on built packages: node bench/sqlite-driver-bench.mjs   (BENCH_QUICK=1 for a smoke run)
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Entity, FeastType, FeatureView, Field, ValueProto, ValueType, serializeEntityKey, valueText } from '@feast-ts/core';
import { SqliteOnlineStore } from '@feast-ts/sqlite';

const Database = createRequire(new URL('../packages/sqlite/package.json', import.meta.url))('better-sqlite3');
const QUICK = Boolean(process.env.BENCH_QUICK);
const READ_ITERATIONS = QUICK ? 20 : 200;
const WRITE_ITERATIONS = QUICK ? 3 : 11;

const repoPath = mkdtempSync(path.join(os.tmpdir(), 'feast-sqlite-driver-bench-'));
const config = {
  project: 'bench',
  registry: path.join(repoPath, 'registry.db'),
  provider: 'local',
  onlineStore: { type: 'sqlite', path: 'online.db' },
  entityKeySerializationVersion: 3,
  repoPath,
};
const store = new SqliteOnlineStore();
const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const viewOf = (name, count) =>
  new FeatureView({ name, entities: [driver], schema: Array.from({ length: count }, (_, i) => new Field({ name: `f${i}`, dtype: FeastType.Float64 })) });
const wide = viewOf('wide', 200);
const narrow = viewOf('narrow', 10);
await store.update(config, [], [wide, narrow], [], [], false);
const key = (id) => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: BigInt(id) }] });
const ts = new Date('2026-01-01T00:00:00Z');
const rowsOf = (view, entities, salt) =>
  Array.from({ length: entities }, (_, e) => [key(e), Object.fromEntries(view.features.map((f, i) => [f.name, { doubleVal: e * 1000 + i + salt }])), ts, null]);

// Read: 1,000 stored entities of 200 features, 100 random ones per call.
await store.onlineWriteBatch(config, wide, rowsOf(wide, 1000, 0.5));
const raw = new Database(path.join(repoPath, 'online.db'));
const wideNames = wide.features.map((f) => f.name);
const rawSelect = raw.prepare(
  `WITH requested(i, entity_key) AS (VALUES ${new Array(128).fill('(?, ?)').join(', ')}) ` +
    'SELECT requested.i, t.feature_name, t.value, t.event_ts FROM requested CROSS JOIN "bench_wide" AS t ON t.entity_key = requested.entity_key',
).raw(true);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const readOurs = [];
const readRaw = [];
for (let it = 0; it < READ_ITERATIONS; it++) {
  const ids = Array.from({ length: 100 }, () => Math.floor(Math.random() * 1000));
  const keys = ids.map(key);
  // Raw: the keys pre-serialized, padded to the statement's 128 pairs as the store does.
  const params = [];
  for (let j = 0; j < 128; j++) params.push(j < 100 ? j : -1, j < 100 ? Buffer.from(serializeEntityKey(keys[j], 3)) : Buffer.alloc(0));
  let t = performance.now();
  const rows = rawSelect.all(...params);
  readRaw.push(performance.now() - t);
  if (rows.length < 100 * 200 * 0.9) throw new Error(`bench: raw read returned ${rows.length} rows`);
  t = performance.now();
  const out = await store.onlineRead(config, wide, keys, wideNames);
  readOurs.push(performance.now() - t);
  if (out.length !== 100 || out.some(([, f]) => f === null || Object.keys(f).length !== 200)) throw new Error('bench: onlineRead missed features');
}

// Write: 10,000 entities x 10 features over existing rows (upserts), alternating ours and raw.
const writeRows = rowsOf(narrow, 10_000, 0.25);
await store.onlineWriteBatch(config, narrow, writeRows);
const upsert = raw.prepare(
  'INSERT INTO "bench_narrow" (entity_key, feature_name, value, value_text, event_ts, created_ts) VALUES (?, ?, ?, ?, ?, ?) ' +
    'ON CONFLICT(entity_key, feature_name) DO UPDATE SET value = excluded.value, value_text = excluded.value_text, event_ts = excluded.event_ts, created_ts = excluded.created_ts',
);
const seconds = BigInt(Math.trunc(ts.getTime() / 1000));
const encoded = writeRows.flatMap(([k, features]) => {
  const keyBytes = Buffer.from(serializeEntityKey(k, 3));
  return Object.entries(features).map(([name, v]) => [keyBytes, name, ValueProto.encode(v), valueText(v), seconds, null]);
});
const writeRaw = raw.transaction(() => {
  for (const r of encoded) upsert.run(...r);
});
const writeOurs = [];
const writeRawMs = [];
for (let it = 0; it < WRITE_ITERATIONS; it++) {
  let t = performance.now();
  writeRaw.immediate();
  writeRawMs.push(performance.now() - t);
  t = performance.now();
  await store.onlineWriteBatch(config, narrow, writeRows);
  writeOurs.push(performance.now() - t);
}
raw.close();
await store.close();
rmSync(repoPath, { recursive: true, force: true });

const fmt = (ms) => ms.toFixed(2);
console.log(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Node ${process.version}, load ${os.loadavg()[0].toFixed(2)}, ${new Date().toISOString()}`);
console.log('| operation | ours (median) | raw comparator (median) | ours / raw |');
console.log('|---|---:|---:|---:|');
console.log(`| onlineRead 100 x 200, all features asked (${READ_ITERATIONS} calls) | ${fmt(median(readOurs))} ms | ${fmt(median(readRaw))} ms (per-row fetch, nothing decoded) | ${(median(readOurs) / median(readRaw)).toFixed(2)}x |`);
console.log(`| onlineWriteBatch 10,000 x 10, upserts (${WRITE_ITERATIONS} calls) | ${fmt(median(writeOurs))} ms | ${fmt(median(writeRawMs))} ms (prepared upsert, pre-encoded rows) | ${(median(writeOurs) / median(writeRawMs)).toFixed(2)}x |`);
