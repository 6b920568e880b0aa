#!/usr/bin/env node
// Benchmark (not a test) of @feast-ts/postgres against a real server, side by side with
//  - floor: a raw pg query of the same rows, not decoded (two forms: pg's defaults, and the
//    store's own statement: prepared, keys as one binary array, every column as text);
//  - Feast's algorithm (PostgreSQLOnlineStore in Python): one SELECT ... WHERE entity_key = ANY(%s),
//    every row decoded and grouped per key; writes as executemany of single-row upserts and one
//    commit (pipelined, as psycopg 3 runs executemany);
//  - other ways to write: multi-row INSERT ... VALUES (...),(...) ON CONFLICT DO UPDATE, and COPY
//    (binary) into a temp table plus one INSERT ... SELECT ... ON CONFLICT, both with the values
//    already encoded, to pick the store's write path.
//
// Runs on the built dist: `pnpm --filter @feast-ts/postgres build && pnpm --filter @feast-ts/bench bench:postgres`.
// Server: FEAST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test). A database of its own
// is created and dropped. Options (env): BENCH_QUICK=1 for a smoke run;
// BENCH_FEAST_WRITE_ENTITIES (default all 10,000): entities of the single-row-upsert write.

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { ValueProto, serializeEntityKey, valueText } from '@feast-ts/core';
import { PostgreSQLOnlineStore } from '@feast-ts/postgres';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { FEATURE_COUNTS, ITERATIONS, POPULATION, QUICK, READ_SIZES, WRITE_ENTITIES, fmt, interleaved, key, log, median, rows, rps, sampler, statsViews, timeIt } from './lib/store-bench.mjs';

const URL_ = process.env.FEAST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const FEAST_WRITE_ENTITIES = Math.min(WRITE_ENTITIES, Number(process.env.BENCH_FEAST_WRITE_ENTITIES ?? WRITE_ENTITIES));
const WRITE_RUNS = QUICK ? 2 : 5;
const FEAST_WRITE_RUNS = 2;

// ---------------------------------------------------------------- setup

const u = new URL(URL_);
const server = { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432), user: decodeURIComponent(u.username) || 'postgres', password: decodeURIComponent(u.password) };
const admin = new pg.Client({ ...server, database: decodeURIComponent(u.pathname.slice(1)) || 'postgres' });
await admin.connect();
const { rows: [{ version }] } = await admin.query("SELECT split_part(version(), ' ', 2) AS version");
const database = `feast_ts_bench_${randomBytes(4).toString('hex')}`;
await admin.query(`CREATE DATABASE "${database}"`);

const project = `bench_${randomBytes(3).toString('hex')}`;
const schema = 'feast';
const config = {
  project,
  registry: '/dev/null',
  provider: 'local',
  onlineStore: { type: 'postgres', ...server, database, db_schema: schema },
  entityKeySerializationVersion: 3,
  repoPath: process.cwd(),
};
const views = statsViews();
const tableOf = (v) => `"${schema}"."${project}_${v.name}"`;

const store = new PostgreSQLOnlineStore();
const pool = new pg.Pool({ ...server, database, max: 2 });
const floorPool = new pg.Pool({ ...server, database, max: 1 });
for (const p of [pool, floorPool]) p.on('error', () => {}); // idle clients ended by the final DROP DATABASE

const keyBytes = (id) => Buffer.from(serializeEntityKey(key(id), 3));
/** The rows already encoded: [key bytes, name, value bytes, value_text, event, created]. */
function encoded(data) {
  const out = [];
  for (const [k, values, ts, created] of data) {
    const kb = Buffer.from(serializeEntityKey(k, 3));
    for (const name of Object.keys(values)) out.push([kb, name, Buffer.from(ValueProto.encode(values[name])), valueText(values[name]), ts, created]);
  }
  return out;
}

const sample = sampler();

// ---------------------------------------------------------------- writes

const SET = 'value = EXCLUDED.value, value_text = EXCLUDED.value_text, vector_value = EXCLUDED.vector_value, event_ts = EXCLUDED.event_ts, created_ts = EXCLUDED.created_ts';
const COLS = '(entity_key, feature_name, value, value_text, vector_value, event_ts, created_ts)';

async function inTransaction(fn) {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await fn(c);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  } finally {
    c.release();
  }
}

/**
 * Feast: executemany of one single-row upsert per (entity, feature), one commit. psycopg 3
 * pipelines executemany; so does this (pg's pipeline mode: every statement sent without
 * waiting for the one before).
 */
async function feastWrite(table, data) {
  const rowsOf = encoded(data);
  const text = `INSERT INTO ${table} ${COLS} VALUES ($1, $2, $3, $4, NULL, $5, $6) ON CONFLICT (entity_key, feature_name) DO UPDATE SET ${SET}`;
  const c = new pg.Client({ ...server, database, pipeline: true });
  await c.connect();
  try {
    await c.query('BEGIN');
    // At most 1,000 statements in flight: pg's pipeline queue gets slow when it holds very many.
    for (let start = 0; start < rowsOf.length; start += 1000) {
      await Promise.all(rowsOf.slice(start, start + 1000).map((r) => c.query({ name: 'feast_single', text, values: r })));
    }
    await c.query('COMMIT');
  } finally {
    await c.end();
  }
}

/** Multi-row VALUES upserts of 5,000 rows (6 parameters each), values pre-encoded. */
function valuesWrite(table, rowsOf) {
  return inTransaction(async (c) => {
    for (let start = 0; start < rowsOf.length; start += 5000) {
      const chunk = rowsOf.slice(start, start + 5000);
      const tuples = chunk.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, NULL, $${i * 6 + 5}::timestamptz, $${i * 6 + 6}::timestamptz)`);
      await c.query(`INSERT INTO ${table} ${COLS} VALUES ${tuples.join(',')} ON CONFLICT (entity_key, feature_name) DO UPDATE SET ${SET}`, chunk.flat());
    }
  });
}

/** COPY (binary) into a temp table, then one upsert from it; values pre-encoded. */
function copyWrite(table, rowsOf) {
  return inTransaction(async (c) => {
    await c.query('CREATE TEMP TABLE feast_ts_copy (entity_key BYTEA, feature_name TEXT, value BYTEA, value_text TEXT, event_ts TIMESTAMPTZ, created_ts TIMESTAMPTZ) ON COMMIT DROP');
    const stream = c.query(copyStreams.from('COPY feast_ts_copy FROM STDIN (FORMAT binary)'));
    const pgEpochUs = 946_684_800_000n * 1000n;
    function* tuples() {
      yield Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
      const parts = [];
      let size = 0;
      for (const [k, name, value, text, ts, created] of rowsOf) {
        const nb = Buffer.from(name);
        const tb = text === null ? null : Buffer.from(text);
        const t = Buffer.alloc(2 + 4 + k.length + 4 + nb.length + 4 + value.length + 4 + (tb ? tb.length : 0) + 12 + 4 + (created ? 8 : 0));
        let o = t.writeInt16BE(6, 0);
        for (const b of [k, nb, value, tb]) {
          if (b === null) o = t.writeInt32BE(-1, o);
          else { o = t.writeInt32BE(b.length, o); b.copy(t, o); o += b.length; }
        }
        o = t.writeInt32BE(8, o);
        o = t.writeBigInt64BE(BigInt(ts.getTime()) * 1000n - pgEpochUs, o);
        if (created) { o = t.writeInt32BE(8, o); t.writeBigInt64BE(BigInt(created.getTime()) * 1000n - pgEpochUs, o); }
        else t.writeInt32BE(-1, o);
        parts.push(t);
        size += t.length;
        if (size > 1 << 20) { yield Buffer.concat(parts); parts.length = 0; size = 0; }
      }
      parts.push(Buffer.from([0xff, 0xff]));
      yield Buffer.concat(parts);
    }
    await pipeline(Readable.from(tuples()), stream);
    await c.query(`INSERT INTO ${table} ${COLS} SELECT entity_key, feature_name, value, value_text, NULL, event_ts, created_ts FROM feast_ts_copy ORDER BY entity_key, feature_name ON CONFLICT (entity_key, feature_name) DO UPDATE SET ${SET}`);
  });
}

async function freshTable(v) {
  await store.teardown(config, [v], []);
  await store.update(config, [], [v], [], [], false);
}

const writes = { store: [], values: [], copy: [], feast: [] };
let overwrite;
{
  const v = views[10];
  const table = tableOf(v);
  const data = rows(WRITE_ENTITIES, 10);
  const pre = encoded(data);
  const feastData = data.slice(0, FEAST_WRITE_ENTITIES);
  const n = WRITE_ENTITIES * 10;
  // Alternate, each into a fresh (empty) table, so load from elsewhere hits all alike.
  for (let run = 0; run < WRITE_RUNS; run++) {
    await freshTable(v);
    writes.store.push(n / ((await timeIt(() => store.onlineWriteBatch(config, v, data))) / 1000));
    await freshTable(v);
    writes.values.push(n / ((await timeIt(() => valuesWrite(table, pre))) / 1000));
    await freshTable(v);
    writes.copy.push(n / ((await timeIt(() => copyWrite(table, pre))) / 1000));
    if (run < FEAST_WRITE_RUNS) {
      await freshTable(v);
      writes.feast.push((FEAST_WRITE_ENTITIES * 10) / ((await timeIt(() => feastWrite(table, feastData))) / 1000));
    }
  }
  await freshTable(v);
  await store.onlineWriteBatch(config, v, data);
  overwrite = n / ((await timeIt(() => store.onlineWriteBatch(config, v, data))) / 1000);
  for (const list of Object.values(writes)) list.sort((a, b) => b - a);
  log(`write rows/s: ${Object.entries(writes).map(([k, l]) => `${k} ${l.map(Math.round).join(', ')}`).join('; ')}; overwrite ${Math.round(overwrite)}`);
}

// ---------------------------------------------------------------- reads

/** Feast's online_read: one SELECT with ANY, rows grouped per key, every value decoded. */
async function feastRead(table, keys) {
  const ks = keys.map((k) => Buffer.from(serializeEntityKey(k, 3)));
  const { rows: r } = await pool.query({ text: `SELECT entity_key, feature_name, value, event_ts FROM ${table} WHERE entity_key = ANY($1)`, values: [ks], rowMode: 'array' });
  const byKey = new Map();
  for (const row of r) {
    const id = row[0].toString('hex');
    let list = byKey.get(id);
    if (!list) byKey.set(id, (list = []));
    list.push(row);
  }
  return ks.map((k) => {
    const list = byKey.get(k.toString('hex'));
    if (!list) return [null, null];
    const res = {};
    let ts = null;
    for (const [, name, value, event] of list) {
      res[name] = ValueProto.decode(value);
      ts = event;
    }
    return [ts, res];
  });
}

/** Floor 1: the same rows with one raw pg query and pg's defaults, values not decoded. */
async function rawRead(table, keyBuffers) {
  const { rows: r } = await floorPool.query({ text: `SELECT entity_key, feature_name, value, event_ts FROM ${table} WHERE entity_key = ANY($1)`, values: [keyBuffers], rowMode: 'array' });
  return r;
}

/** Floor 2: the store's own statement through raw pg (prepared, binary key array, every column as text), rows not parsed. */
const asText = { getTypeParser: () => (s) => s };
function binaryByteaArray(items) {
  const size = 20 + items.reduce((a, b) => a + 4 + b.length, 0);
  const buf = Buffer.alloc(size);
  buf.writeInt32BE(1, 0); buf.writeInt32BE(0, 4); buf.writeInt32BE(17, 8); buf.writeInt32BE(items.length, 12); buf.writeInt32BE(1, 16);
  let o = 20;
  for (const b of items) { buf.writeInt32BE(b.length, o); b.copy(buf, o + 4); o += 4 + b.length; }
  return buf;
}
async function rawPreparedRead(table, keyBuffers) {
  const text = `SELECT entity_key, feature_name, value, (extract(epoch from event_ts) * 1000000)::int8 FROM ${table} WHERE entity_key = ANY($1::bytea[])`;
  const { rows: r } = await floorPool.query({ name: `floor_${table.length}_${table.slice(-8)}`, text, values: [binaryByteaArray(keyBuffers)], rowMode: 'array', types: asText });
  return r;
}

await store.update(config, [], Object.values(views), [], [], false);
await store.onlineWriteBatch(config, views[10], rows(POPULATION, 10));
await store.onlineWriteBatch(config, views[50], rows(POPULATION, 50));
await admin.query('SELECT 1'); // keep the admin session alive
{
  const c = new pg.Client({ ...server, database });
  await c.connect();
  await c.query(`VACUUM ANALYZE ${tableOf(views[10])}`);
  await c.query(`VACUUM ANALYZE ${tableOf(views[50])}`);
  await c.end();
}

const readResults = [];
for (const features of FEATURE_COUNTS) {
  const v = views[features];
  const table = tableOf(v);
  for (const n of READ_SIZES) {
    const iterations = ITERATIONS[n];
    const times = await interleaved(
      {
        ours: ({ keys }) => store.onlineRead(config, v, keys),
        raw: ({ kb }) => rawRead(table, kb),
        prepared: ({ kb }) => rawPreparedRead(table, kb),
        feast: ({ keys }) => feastRead(table, keys),
      },
      iterations,
      () => {
        const ids = sample(n, POPULATION);
        return { keys: ids.map(key), kb: ids.map(keyBytes) };
      },
    );
    const row = { features, n, iterations, ...times };
    readResults.push(row);
    log(`read ${n} x ${features}: ours ${fmt(row.ours.p50)} / raw ${fmt(row.raw.p50)} / prepared ${fmt(row.prepared.p50)} / feast ${fmt(row.feast.p50)} ms (p50)`);
  }
}

// ---------------------------------------------------------------- report

const lines = [];
lines.push(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, PostgreSQL ${version} on 127.0.0.1, ${new Date().toISOString().slice(0, 10)}`);
lines.push('');
lines.push(`Writes (rows/s, rows = (entity, feature) rows, ${WRITE_ENTITIES.toLocaleString('en')} entities x 10 features per call unless noted; ${WRITE_RUNS} runs each, alternating, each into an empty table):`);
lines.push('');
lines.push('| | rows/s (median) | rows/s (best) | vs store (median) |');
lines.push('|---|---:|---:|---:|');
const ws = median(writes.store);
lines.push(`| PostgreSQLOnlineStore.onlineWriteBatch (unnest of binary arrays, 5,000 rows a statement, one transaction) | ${rps(ws)} | ${rps(writes.store[0])} | 1x |`);
lines.push(`| the same write again (every row an update) | ${rps(overwrite)} (1 run) | | ${(overwrite / ws).toFixed(2)}x |`);
lines.push(`| raw pg: multi-row INSERT ... VALUES ... ON CONFLICT, 5,000 rows a statement, values pre-encoded | ${rps(median(writes.values))} | ${rps(writes.values[0])} | ${(median(writes.values) / ws).toFixed(2)}x |`);
lines.push(`| raw pg: COPY (binary) into a temp table + one INSERT ... SELECT ... ON CONFLICT, values pre-encoded | ${rps(median(writes.copy))} | ${rps(writes.copy[0])} | ${(median(writes.copy) / ws).toFixed(2)}x |`);
lines.push(`| Feast's algorithm: a single-row upsert per (entity, feature), one commit, pipelined (${FEAST_WRITE_ENTITIES.toLocaleString('en')} entities, ${FEAST_WRITE_RUNS} runs) | ${rps(median(writes.feast))} | ${rps(writes.feast[0])} | ${(median(writes.feast) / ws).toFixed(3)}x |`);
lines.push('');
lines.push('Reads (one onlineRead call of N random existing entities, all features; milliseconds):');
lines.push('');
lines.push('| entities x features | runs | PostgreSQLOnlineStore p50 / p99 | floor: raw pg, defaults p50 / p99 | raw pg, the store\'s statement p50 / p99 | Feast\'s algorithm p50 / p99 | ours vs floor (p50) | ours vs store\'s statement (p50) |');
lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of readResults) {
  lines.push(
    `| ${r.n.toLocaleString('en')} x ${r.features} | ${r.iterations} | ${fmt(r.ours.p50)} / ${fmt(r.ours.p99)} | ${fmt(r.raw.p50)} / ${fmt(r.raw.p99)} | ${fmt(r.prepared.p50)} / ${fmt(r.prepared.p99)} | ` +
      `${fmt(r.feast.p50)} / ${fmt(r.feast.p99)} | ${(r.ours.p50 / r.raw.p50).toFixed(2)}x | ${(r.ours.p50 / r.prepared.p50).toFixed(2)}x |`,
  );
}
console.log(lines.join('\n'));

// ---------------------------------------------------------------- cleanup

await store.close();
await pool.end();
await floorPool.end();
await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
await admin.end();
