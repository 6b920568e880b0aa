#!/usr/bin/env node
// Benchmark (not a test) of @feast-ts/sqlite through FeatureStore, the path an application takes,
// side by side, in one run and interleaved call by call (rotating order), with:
//  - store:  the store's own SqliteOnlineStore.onlineRead of the same keys (entity keys built
//            beforehand), the comparator of the facade's overhead;
//  - floor:  a raw better-sqlite3 prepared SELECT ... IN of the same rows (keys serialized
//            beforehand, rows as arrays, values left undecoded): what any client pays for them;
//  - python: Feast's SQLite read algorithm in Python (bench/python/feast_sqlite_read.py, on
//            /usr/bin/python3 with Debian's python3-protobuf, C++ backend), timed inside Python,
//            same file, same keys; skipped with a note when protobuf is missing.
// Ours is `(await store.getOnlineFeatures({ features, entityRows })).toDict()`: references
// resolved, join keys coerced, read, and every value converted to a JavaScript value, as the
// Python peer converts every value to a Python one.
// Writes: writeToOnlineStore (JS rows -> Values -> one transaction) against a raw prepared upsert
// (the store's statement) of pre-encoded rows (keys serialized, values encoded, value_text
// computed beforehand) in one transaction, into tables of the same layout; and against the same
// rows in multi-row upserts of 512 a statement (what the store does), into a third table.
//
// Run on built packages:  pnpm --filter @feast-ts/bench bench:sqlite   (BENCH_QUICK=1: smoke run)
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueProto, ValueType, serializeEntityKey, valueText } from '@feast-ts/core';
import { roundOrder } from './lib/store-bench.mjs';

const QUICK = Boolean(process.env.BENCH_QUICK);
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const SIZES = [1, 10, 100, 500];
const FEATURE_COUNTS = [10, 200];
/** Entities stored per read view. */
const ENTITIES = { 10: QUICK ? 1000 : 10_000, 200: QUICK ? 600 : 2000 };
const ITERATIONS = QUICK
  ? { 10: { 1: 100, 10: 50, 100: 20, 500: 5 }, 200: { 1: 50, 10: 20, 100: 5, 500: 3 } }
  : { 10: { 1: 1500, 10: 800, 100: 200, 500: 50 }, 200: { 1: 600, 10: 250, 100: 40, 500: 12 } };
const WRITE_ENTITIES = QUICK ? 2000 : 10_000;
const WRITE_FEATURES = 10;
const WRITE_ROUNDS = Number(process.env.BENCH_WRITE_ROUNDS ?? (QUICK ? 2 : 6)); // 6: each of the 6 orders of the three methods once
// BENCH_SHAPES=1x10,1x200 measures only those reads (for looking into one shape).
const SHAPES = process.env.BENCH_SHAPES?.split(',').map((s) => s.trim());

const repo = await mkdtemp(path.join(os.tmpdir(), 'feast-sqlite-bench-'));
await writeFile(path.join(repo, 'feature_store.yaml'), 'project: bench\nonline_store:\n  type: sqlite\n  path: data/online.db\n');
const store = await FeatureStore.open(repo, { resolveFrom: [import.meta.url] });
const dbFile = path.join(repo, 'data', 'online.db');

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const featureNames = (count) => Array.from({ length: count }, (_, i) => `f${i}`);
const makeView = (name, count) =>
  new FeatureView({
    name,
    entities: [driver],
    schema: featureNames(count).map((n, i) => new Field({ name: n, dtype: i % 2 ? FeastType.Float64 : FeastType.Int64 })),
  });
const readViews = Object.fromEntries(FEATURE_COUNTS.map((f) => [f, makeView(`stats_${f}`, f)]));
const writeView = makeView('writes', WRITE_FEATURES);
await store.apply([driver, ...Object.values(readViews), writeView]);

const ts = new Date('2026-01-01T00:00:00Z');
const rowsOf = (count, entities) => {
  const names = featureNames(count);
  return Array.from({ length: entities }, (_, e) => {
    const row = { driver_id: BigInt(e), event_timestamp: ts };
    names.forEach((n, i) => (row[n] = i % 2 ? e / 7 + i : BigInt(e * i)));
    return row;
  });
};
for (const f of FEATURE_COUNTS) await store.writeToOnlineStore(readViews[f].name, rowsOf(f, ENTITIES[f]));

const keyProto = (id) => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: BigInt(id) }] });
const keyBytes = (id) => Buffer.from(serializeEntityKey(keyProto(id), 3));
const raw = new Database(dbFile);
raw.pragma('journal_mode = WAL');
const sqliteVersion = raw.prepare('SELECT sqlite_version() AS v').get().v;

// ---------------------------------------------------------------- writes

const writeTable = 'bench_writes';
const rawTable = 'bench_writes_raw';
const ddl = raw.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(writeTable).sql;
raw.exec(ddl.replace(`"${writeTable}"`, `"${rawTable}"`).replace(/TABLE IF NOT EXISTS \S+/, `TABLE IF NOT EXISTS "${rawTable}"`));
raw.exec(`CREATE INDEX IF NOT EXISTS "${rawTable}_ek" ON "${rawTable}" (entity_key)`);
const writeRows = rowsOf(WRITE_FEATURES, WRITE_ENTITIES);
const writeNames = featureNames(WRITE_FEATURES);
const epoch = Math.floor(ts.getTime() / 1000);
// Pre-encoded: [key, name, value bytes, value_text] per (entity, feature), as the store would bind them.
const encoded = writeRows.flatMap((row) => {
  const key = keyBytes(row.driver_id);
  return writeNames.map((n, i) => {
    const value = i % 2 ? { doubleVal: row[n] } : { int64Val: row[n] };
    return [key, n, ValueProto.encode(value), valueText(value)];
  });
});
const upsert = raw.prepare(
  `INSERT INTO "${rawTable}" (entity_key, feature_name, value, value_text, event_ts, created_ts) VALUES (?, ?, ?, ?, ?, ?) ` +
    'ON CONFLICT(entity_key, feature_name) DO UPDATE SET value = excluded.value, value_text = excluded.value_text, event_ts = excluded.event_ts, created_ts = excluded.created_ts',
);
const rawWrite = raw.transaction(() => {
  for (const [key, name, bytes, text] of encoded) upsert.run(key, name, bytes, text, epoch, null);
});
const rawMultiTable = 'bench_writes_raw_multi';
raw.exec(ddl.replace(`"${writeTable}"`, `"${rawMultiTable}"`).replace(/TABLE IF NOT EXISTS \S+/, `TABLE IF NOT EXISTS "${rawMultiTable}"`));
raw.exec(`CREATE INDEX IF NOT EXISTS "${rawMultiTable}_ek" ON "${rawMultiTable}" (entity_key)`);
const MULTI = 512;
const multiUpsert = (n) =>
  raw.prepare(
    `INSERT INTO "${rawMultiTable}" (entity_key, feature_name, value, value_text, event_ts, created_ts) VALUES ${new Array(n).fill('(?, ?, ?, ?, ?, ?)').join(', ')} ` +
      'ON CONFLICT(entity_key, feature_name) DO UPDATE SET value = excluded.value, value_text = excluded.value_text, event_ts = excluded.event_ts, created_ts = excluded.created_ts',
  );
const multiStatements = new Map();
const rawMultiWrite = raw.transaction(() => {
  const params = [];
  for (let c = 0; c < encoded.length; c += MULTI) {
    const end = Math.min(encoded.length, c + MULTI);
    params.length = 0;
    for (let j = c; j < end; j++) params.push(encoded[j][0], encoded[j][1], encoded[j][2], encoded[j][3], epoch, null);
    let stmt = multiStatements.get(end - c);
    if (!stmt) multiStatements.set(end - c, (stmt = multiUpsert(end - c)));
    stmt.run(params);
  }
});
const writeMethods = {
  ours: () => store.writeToOnlineStore(writeView.name, writeRows),
  raw: () => rawWrite.immediate(),
  multi: () => rawMultiWrite.immediate(),
};
const writeTimes = { empty: { ours: [], raw: [], multi: [] }, update: { ours: [], raw: [], multi: [] } };
for (let round = 0; round < WRITE_ROUNDS; round++) {
  raw.exec(`DELETE FROM "${writeTable}"; DELETE FROM "${rawTable}"; DELETE FROM "${rawMultiTable}"`);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  const order = roundOrder(['ours', 'raw', 'multi'], round);
  for (const kind of ['empty', 'update']) {
    for (const m of order) {
      const t = performance.now();
      await writeMethods[m]();
      writeTimes[kind][m].push(performance.now() - t);
    }
  }
}
const writtenOurs = WRITE_ROUNDS === 0 ? WRITE_ENTITIES * WRITE_FEATURES : raw.prepare(`SELECT COUNT(*) AS n FROM "${writeTable}"`).get().n;
const writtenRaw = WRITE_ROUNDS === 0 ? writtenOurs : raw.prepare(`SELECT COUNT(*) AS n FROM "${rawTable}"`).get().n;
const writtenMulti = WRITE_ROUNDS === 0 ? writtenOurs : raw.prepare(`SELECT COUNT(*) AS n FROM "${rawMultiTable}"`).get().n;
if (writtenOurs !== WRITE_ENTITIES * WRITE_FEATURES || writtenRaw !== writtenOurs || writtenMulti !== writtenOurs) {
  throw new Error(`bench: wrote ${writtenOurs} / ${writtenRaw} / ${writtenMulti} rows`);
}

// ---------------------------------------------------------------- the Python peer

async function startPython() {
  let child;
  try {
    child = spawn(PYTHON, [fileURLToPath(new URL('./python/feast_sqlite_read.py', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  } catch {
    return { note: `${PYTHON} not found` };
  }
  const failed = new Promise((resolve) => child.once('error', (err) => resolve({ note: `${PYTHON}: ${err.message}` })));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value);
  const tables = Object.fromEntries(FEATURE_COUNTS.map((f) => [f, `bench_${readViews[f].name}`]));
  child.stdin.write(`${JSON.stringify({ db: dbFile, tables })}\n`);
  const hello = await Promise.race([next(), failed]);
  if (hello.note || hello.error) {
    child.kill();
    return { note: hello.note ?? hello.error };
  }
  return {
    hello,
    async read(f, ids, features) {
      child.stdin.write(`${JSON.stringify({ table: String(f), ids, features })}\n`);
      return next();
    },
    stop() {
      child.stdin.end();
    },
  };
}
const python = process.env.BENCH_PYTHON === 'none' ? { note: 'BENCH_PYTHON=none' } : await startPython();

// ---------------------------------------------------------------- reads

const config = store.config;
const selects = new Map();
const floorSelect = (f, n) => {
  const id = `${f}:${n}`;
  if (!selects.has(id)) {
    const sql = `SELECT entity_key, feature_name, value, event_ts FROM "bench_${readViews[f].name}" WHERE entity_key IN (${new Array(n).fill('?').join(', ')})`;
    selects.set(id, raw.prepare(sql).raw(true));
  }
  return selects.get(id);
};

const results = [];
for (const f of FEATURE_COUNTS) {
  const view = readViews[f];
  const names = featureNames(f);
  const refs = names.map((n) => `${view.name}:${n}`);
  for (const n of SIZES) {
    if (SHAPES && !SHAPES.includes(`${n}x${f}`)) continue;
    const times = { ours: [], store: [], floor: [], python: [] };
    // Warm-up calls, not counted: as many as the measured ones for the small shapes, so the JIT has settled.
    const warmup = Number(process.env.BENCH_WARMUP ?? (n <= 10 ? ITERATIONS[f][n] : Math.max(2, Math.ceil(ITERATIONS[f][n] / 5))));
    for (let it = -warmup; it < ITERATIONS[f][n]; it++) {
      // n distinct random existing entities
      const picked = new Set();
      while (picked.size < n) picked.add(Math.floor(Math.random() * ENTITIES[f]));
      const ids = [...picked];
      const entityRows = ids.map((id) => ({ driver_id: BigInt(id) }));
      const keys = ids.map(keyProto);
      const bytes = ids.map(keyBytes);
      const methods = {
        ours: async () => {
          const t = performance.now();
          const response = await store.getOnlineFeatures({ features: refs, entityRows });
          if (process.env.BENCH_NO_TODICT) return performance.now() - t;
          const out = response.toDict();
          const ms = performance.now() - t;
          if (out[names[f - 1]].some((v) => v === null)) throw new Error('bench: an existing entity read back as null');
          return ms;
        },
        store: async () => {
          const t = performance.now();
          const out = await store.onlineStore.onlineRead(config, view, keys, names);
          const ms = performance.now() - t;
          if (out.some(([, v]) => v === null)) throw new Error('bench: store read an existing entity as missing');
          return ms;
        },
        floor: async () => {
          const t = performance.now();
          const rows = floorSelect(f, n).all(...bytes);
          const ms = performance.now() - t;
          if (rows.length !== n * f) throw new Error(`bench: floor read ${rows.length} rows`);
          return ms;
        },
        python: async () => {
          const r = await python.read(f, ids, names);
          if (r.rows !== n * f) throw new Error(`bench: the Python peer read ${r.rows} values, expected ${n * f}`);
          return r.ms;
        },
      };
      // Untimed reads of the same keys first, on the store's connection and the floor's, so that no
      // method pays alone for first touching the pages of these keys (the store maps the file into memory).
      // The store's is made through getOnlineFeatures, which runs the store's read too: both paths'
      // code is then as recently run (an untimed store read alone made ours 0.05x to 0.08x slower
      // against the store at 1 x 10 in three runs).
      (await store.getOnlineFeatures({ features: refs, entityRows })).toDict();
      floorSelect(f, n).all(...bytes);
      const order = (process.env.BENCH_METHODS?.split(',') ?? ['ours', 'store', 'floor', 'python']).filter((m) => m !== 'python' || python.read);
      for (const m of roundOrder(order, it)) {
        const ms = await methods[m]();
        if (it >= 0) times[m].push(ms);
      }
    }
    const stat = (xs) => {
      if (xs.length === 0) return undefined;
      const s = [...xs].sort((a, b) => a - b);
      return { p50: s[Math.floor(s.length * 0.5)], p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] };
    };
    results.push({ f, n, iterations: ITERATIONS[f][n], ours: stat(times.ours), store: stat(times.store), floor: stat(times.floor), python: stat(times.python) });
  }
}
python.stop?.();
await store.close();
raw.close();
await rm(repo, { recursive: true, force: true });

// ---------------------------------------------------------------- report

const fmt = (ms) => (ms === undefined ? 'n/a' : ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const ratio = (a, b) => (a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}x`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpus = os.cpus();
console.log(
  `Machine: ${cpus.length} cores (${cpus[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ` +
    `SQLite ${sqliteVersion} (better-sqlite3), ` +
    `${new Date().toISOString().slice(0, 16)}Z, load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
console.log(python.hello ? `Python peer: ${PYTHON}, protobuf backend ${python.hello.protobuf}, SQLite ${python.hello.sqlite}` : `Python peer skipped: ${python.note}`);
console.log('');
console.log(`Writes, ${WRITE_ENTITIES.toLocaleString('en-US')} entities x ${WRITE_FEATURES} features, ${WRITE_ROUNDS} rounds alternating (ms, median; rows/s):`);
console.log('');
console.log('| write | writeToOnlineStore | raw prepared upsert (pre-encoded) | raw multi-row upserts, 512 a statement (pre-encoded) | ours / raw | ours / raw multi-row |');
console.log('|---|---:|---:|---:|---:|---:|');
const rps = (ms) => Math.round((WRITE_ENTITIES * WRITE_FEATURES) / (ms / 1000)).toLocaleString('en-US');
for (const kind of WRITE_ROUNDS === 0 ? [] : ['empty', 'update']) {
  const o = median(writeTimes[kind].ours);
  const r = median(writeTimes[kind].raw);
  const m = median(writeTimes[kind].multi);
  console.log(
    `| ${kind === 'empty' ? 'into an empty table' : 'the same rows again (all updates)'} | ${fmt(o)} (${rps(o)} rows/s) | ${fmt(r)} (${rps(r)} rows/s) | ${fmt(m)} (${rps(m)} rows/s) | ${ratio(o, r)} | ${ratio(o, m)} |`,
  );
}
console.log('');
console.log('Reads, N random existing entities x F features, p50 / p99 in ms:');
console.log('');
console.log('| entities x features | calls | ours (getOnlineFeatures + toDict) | store onlineRead | floor (raw SELECT) | Python (Feast algorithm) | ours / store | ours / floor | Python / ours |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const cell = (s) => (s ? `${fmt(s.p50)} / ${fmt(s.p99)}` : 'n/a');
  console.log(
    `| ${r.n} x ${r.f} | ${r.iterations} | ${cell(r.ours)} | ${cell(r.store)} | ${cell(r.floor)} | ${cell(r.python)} | ${ratio(r.ours?.p50, r.store?.p50)} | ${ratio(r.ours?.p50, r.floor?.p50)} | ${ratio(r.python?.p50, r.ours?.p50)} |`,
  );
}
