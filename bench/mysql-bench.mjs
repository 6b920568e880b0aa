#!/usr/bin/env node
// Benchmark (not a test) of @feast-ts/contrib-mysql against a real server, side by side with
//  - baseline: the algorithm of Feast's "adding a new online store" MySQL guide (and Feast's
//    MySQL store): one SELECT per entity key; one single-row upsert per (entity, feature) and a
//    commit per entity;
//  - floor: a raw mysql2 query fetching the same rows (one SELECT ... IN, no decoding);
//  - grouped floor: a raw mysql2 query of the same rows as one row per entity (GROUP_CONCAT, the
//    store's packing, not unpacked), the shape the store picks for wide reads.
// First on a direct connection (ours against the floor), then again through a TCP proxy in the
// bench that delays every chunk by BENCH_PROXY_DELAY_MS (default 0.25 ms) each way, about 0.5 ms
// per round trip, as a same-zone network adds (ours against the baseline; the added round trip
// is measured with SELECT 1 and printed).
//
// Runs on the built dist: `pnpm --filter @feast-ts/contrib-mysql build && pnpm --filter @feast-ts/bench bench`.
// Server: FEAST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test). A database of its own is
// created and dropped (or, without the privilege, unique tables in the URL's database).
// Options (env): BENCH_QUICK=1 for a smoke run; BENCH_BASELINE_WRITE_ENTITIES (default: all 10,000).

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { ValueProto, serializeEntityKey } from '@feast-ts/core';
import { GROUPED_CHUNK_KEYS, MySQLOnlineStore } from '@feast-ts/contrib-mysql';
import mysql from 'mysql2/promise';
import { FEATURE_COUNTS, ITERATIONS, POPULATION, QUICK, READ_SIZES, WRITE_ENTITIES, fmt, interleaved, key, log, median, quantile, rows, rps, sampler, statsViews, timeIt } from './lib/store-bench.mjs';
import { startDelayProxy } from './tcp-delay-proxy.mjs';

process.removeAllListeners('warning'); // the contrib-store notice is not part of the output

const URL_ = process.env.FEAST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
// The baseline writes the same batch (fewer entities with BENCH_BASELINE_WRITE_ENTITIES), in fewer runs: each takes ~20 s.
const BASELINE_WRITE_ENTITIES = Math.min(WRITE_ENTITIES, Number(process.env.BENCH_BASELINE_WRITE_ENTITIES ?? (QUICK ? 200 : WRITE_ENTITIES)));
const WRITE_RUNS = 5;
const BASELINE_WRITE_RUNS = 2;
const PROXY_DELAY_MS = Number(process.env.BENCH_PROXY_DELAY_MS ?? 0.25);
// Through the proxy the baseline pays ~0.5 ms per statement: it writes fewer entities (rows/s compare alike).
const PROXY_BASELINE_WRITE_ENTITIES = QUICK ? 50 : 400;
const PROXY_WRITE_RUNS = QUICK ? 1 : 3;
const PROXY_ITERATIONS = QUICK ? { 1: 30, 10: 20, 100: 10, 1000: 3 } : { 1: 200, 10: 100, 100: 40, 1000: 8 };

// ---------------------------------------------------------------- setup

const u = new URL(URL_);
const server = {
  host: u.hostname || '127.0.0.1',
  port: Number(u.port || 3306),
  user: decodeURIComponent(u.username) || 'root',
  password: decodeURIComponent(u.password),
};
const urlDb = decodeURIComponent(u.pathname.slice(1)) || undefined;

const admin = await mysql.createConnection({ ...server, database: urlDb });
const [[{ version }]] = await admin.query('SELECT VERSION() AS version');
let database = `feast_ts_bench_${randomBytes(4).toString('hex')}`;
let ownDatabase = true;
try {
  await admin.query(`CREATE DATABASE \`${database}\``);
} catch (err) {
  if (!urlDb) throw err;
  database = urlDb;
  ownDatabase = false;
}

const project = `bench_${randomBytes(3).toString('hex')}`;
const config = {
  project,
  registry: '/dev/null',
  provider: 'local',
  onlineStore: { type: 'mysql', ...server, database },
  entityKeySerializationVersion: 3,
  repoPath: process.cwd(),
};
const views = statsViews();
const tableOf = (v) => `${project}_${v.name}`;

const store = new MySQLOnlineStore();
const pool = mysql.createPool({ ...server, database, connectionLimit: 2, timezone: 'Z' });
const floorPool = mysql.createPool({ ...server, database, connectionLimit: 1, timezone: 'Z' });
/** The floors' sessions: the store's tuning (eq_range_index_dive_limit, group_concat_max_len). */
const floorSession = (conn) => {
  conn.query('SET SESSION eq_range_index_dive_limit = 1');
  conn.query('SET SESSION group_concat_max_len = 4194304');
};
floorPool.on('connection', floorSession);

const hexKey = (id) => Buffer.from(serializeEntityKey(key(id), 3)).toString('hex');
const sample = sampler();

// ---------------------------------------------------------------- writes

/** Feast's guide: a single-row upsert per (entity, feature), a commit per entity. */
async function baselineWrite(table, data, via = pool) {
  const conn = await via.getConnection();
  try {
    await conn.query('SET autocommit = 0');
    for (const [entityKey, values, ts, created] of data) {
      const ek = Buffer.from(serializeEntityKey(entityKey, 3)).toString('hex');
      for (const [name, value] of Object.entries(values)) {
        const bytes = Buffer.from(ValueProto.encode(value));
        await conn.query(
          `INSERT INTO \`${table}\` (entity_key, feature_name, value, event_ts, created_ts) VALUES (?, ?, ?, ?, ?) ` +
            'ON DUPLICATE KEY UPDATE value = ?, event_ts = ?, created_ts = ?',
          [ek, name, bytes, ts, created, bytes, ts, created],
        );
      }
      await conn.query('COMMIT');
    }
  } finally {
    await conn.query('SET autocommit = 1');
    conn.release();
  }
}

async function freshTable(v) {
  await store.teardown(config, [v], []);
  await store.update(config, [], [v], [], [], false);
}

const writeResults = [];
{
  const v = views[10];
  const data = rows(WRITE_ENTITIES, 10);
  const baseData = data.slice(0, BASELINE_WRITE_ENTITIES);
  const ours = [];
  const baseline = [];
  // Alternate the two, each into a fresh (empty) table, so load from elsewhere hits both alike.
  for (let run = 0; run < WRITE_RUNS; run++) {
    await freshTable(v);
    ours.push((WRITE_ENTITIES * 10) / ((await timeIt(() => store.onlineWriteBatch(config, v, data))) / 1000));
    if (run >= BASELINE_WRITE_RUNS) continue;
    await freshTable(v);
    baseline.push((BASELINE_WRITE_ENTITIES * 10) / ((await timeIt(() => baselineWrite(tableOf(v), baseData))) / 1000));
  }
  // the same write again over existing rows (every row an update)
  const overwrite = (WRITE_ENTITIES * 10) / ((await timeIt(() => store.onlineWriteBatch(config, v, data))) / 1000);
  ours.sort((a, b) => b - a);
  baseline.sort((a, b) => b - a);
  log(`write rows/s ours: ${ours.map(Math.round).join(', ')}; baseline: ${baseline.map(Math.round).join(', ')}; overwrite ${Math.round(overwrite)}`);
  writeResults.push({ ours, baseline, overwrite });
}

// ---------------------------------------------------------------- reads

/** Feast's guide: one SELECT per entity key, then decode every row. */
async function baselineRead(table, keys, via = pool) {
  const out = [];
  for (const k of keys) {
    const [rowsOf] = await via.query(`SELECT feature_name, value, event_ts FROM \`${table}\` WHERE entity_key = ?`, [
      Buffer.from(serializeEntityKey(k, 3)).toString('hex'),
    ]);
    if (rowsOf.length === 0) {
      out.push([null, null]);
      continue;
    }
    const res = {};
    let ts = null;
    for (const r of rowsOf) {
      res[r.feature_name] = ValueProto.decode(r.value);
      ts = r.event_ts;
    }
    out.push([ts, res]);
  }
  return out;
}

/**
 * The floor: the same rows in one raw mysql2 query, as cheaply as mysql2 gets them: keys
 * already serialized, rows as arrays, the event time as a number, the same session tuning
 * as the store (eq_range_index_dive_limit), values not decoded.
 */
async function rawRead(table, hexKeys, via = floorPool) {
  const [r] = await via.query(
    { sql: `SELECT entity_key, feature_name, value, UNIX_TIMESTAMP(event_ts) FROM \`${table}\` WHERE entity_key IN (?)`, rowsAsArray: true },
    [hexKeys],
  );
  return r;
}

/**
 * The grouped floor: the same rows as one raw row per entity, packed as the store packs them, not
 * unpacked; like the store, one statement per GROUPED_CHUNK_KEYS keys (MariaDB groups a longer
 * IN list through a temporary table).
 */
async function rawGroupedRead(table, hexKeys, via = floorPool) {
  const out = [];
  for (let start = 0; start < hexKeys.length; start += GROUPED_CHUNK_KEYS) {
    const [r] = await via.query(
      {
        sql:
          "SELECT entity_key, GROUP_CONCAT(CONVERT(feature_name USING utf8mb4), CHAR(4278190080 + LEAST(IFNULL(OCTET_LENGTH(value), 0), 16777215)), IFNULL(value, X'') SEPARATOR ''), " +
          `TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', MAX(event_ts)), COUNT(*) FROM \`${table}\` WHERE entity_key IN (?) GROUP BY entity_key`,
        rowsAsArray: true,
      },
      [hexKeys.slice(start, start + GROUPED_CHUNK_KEYS)],
    );
    out.push(r);
  }
  return out;
}

await store.update(config, [], Object.values(views), [], [], false);
await store.onlineWriteBatch(config, views[10], rows(POPULATION, 10)); // (re)fill the 10-feature table
await store.onlineWriteBatch(config, views[50], rows(POPULATION, 50));

/** Reads of every size and view, the four methods interleaved call by call in rotating order. */
async function measureReads(ctx, iterationsBySize) {
  const results = [];
  for (const features of FEATURE_COUNTS) {
    const v = views[features];
    const table = tableOf(v);
    for (const n of READ_SIZES) {
      const iterations = iterationsBySize[n];
      const times = await interleaved(
        {
          ours: ({ keys }) => ctx.store.onlineRead(ctx.config, v, keys),
          raw: ({ hexKeys }) => rawRead(table, hexKeys, ctx.floorPool),
          grouped: ({ hexKeys }) => rawGroupedRead(table, hexKeys, ctx.floorPool),
          baseline: ({ keys }) => baselineRead(table, keys, ctx.pool),
        },
        iterations,
        () => {
          const ids = sample(n, POPULATION);
          return { keys: ids.map(key), hexKeys: ids.map(hexKey) };
        },
      );
      const row = { features, n, iterations, ...times };
      results.push(row);
      log(`${ctx.label} read ${n} x ${features}: ours ${fmt(row.ours.p50)} / raw ${fmt(row.raw.p50)} / grouped ${fmt(row.grouped.p50)} / baseline ${fmt(row.baseline.p50)} ms (p50)`);
    }
  }
  return results;
}

const readResults = await measureReads({ label: 'direct', store, config, pool, floorPool }, ITERATIONS);

// ---------------------------------------------------------------- through the delaying proxy

const proxy = await startDelayProxy({ host: server.host, port: server.port, delayMs: PROXY_DELAY_MS });
const viaProxy = { ...server, host: '127.0.0.1', port: proxy.port };
const proxyConfig = { ...config, onlineStore: { type: 'mysql', ...viaProxy, database } };
const proxyStore = new MySQLOnlineStore();
const proxyPool = mysql.createPool({ ...viaProxy, database, connectionLimit: 2, timezone: 'Z' });
const proxyFloorPool = mysql.createPool({ ...viaProxy, database, connectionLimit: 1, timezone: 'Z' });
proxyFloorPool.on('connection', floorSession);

// What the proxy adds to a round trip: SELECT 1, direct and through it, interleaved.
const roundTrip = { direct: [], proxy: [] };
for (let i = -20; i < (QUICK ? 100 : 400); i++) {
  for (const [name, p] of i % 2 ? [['direct', floorPool], ['proxy', proxyFloorPool]] : [['proxy', proxyFloorPool], ['direct', floorPool]]) {
    const ms = await timeIt(() => p.query('SELECT 1'));
    if (i >= 0) roundTrip[name].push(ms);
  }
}
for (const list of Object.values(roundTrip)) list.sort((a, b) => a - b);
const rtt = { direct: quantile(roundTrip.direct, 0.5), proxy: quantile(roundTrip.proxy, 0.5) };
log(`SELECT 1 p50: direct ${rtt.direct.toFixed(3)} ms, through the proxy ${rtt.proxy.toFixed(3)} ms (adds ${(rtt.proxy - rtt.direct).toFixed(3)} ms)`);

const proxyWrite = { ours: [], baseline: [] };
{
  const v = views[10];
  const data = rows(WRITE_ENTITIES, 10);
  const baseData = data.slice(0, PROXY_BASELINE_WRITE_ENTITIES);
  for (let run = 0; run < PROXY_WRITE_RUNS; run++) {
    await freshTable(v);
    proxyWrite.ours.push((WRITE_ENTITIES * 10) / ((await timeIt(() => proxyStore.onlineWriteBatch(proxyConfig, v, data))) / 1000));
    if (run >= 2) continue;
    await freshTable(v);
    proxyWrite.baseline.push((PROXY_BASELINE_WRITE_ENTITIES * 10) / ((await timeIt(() => baselineWrite(tableOf(v), baseData, proxyPool))) / 1000));
  }
  proxyWrite.ours.sort((a, b) => b - a);
  proxyWrite.baseline.sort((a, b) => b - a);
  log(`proxy write rows/s ours: ${proxyWrite.ours.map(Math.round).join(', ')}; baseline: ${proxyWrite.baseline.map(Math.round).join(', ')}`);
  await store.onlineWriteBatch(config, v, rows(POPULATION, 10)); // the read population again
}
const proxyReadResults = await measureReads({ label: 'proxy', store: proxyStore, config: proxyConfig, pool: proxyPool, floorPool: proxyFloorPool }, PROXY_ITERATIONS);

// ---------------------------------------------------------------- report

const w = writeResults[0];
const lines = [];
/** The read table of one run: the store, both floors and the baseline, and their ratios. */
function readTable(results) {
  lines.push(
    '| entities x features | runs | MySQLOnlineStore p50 / p99 | floor: raw rows p50 / p99 | floor: raw one row per entity p50 / p99 | baseline p50 / p99 | ' +
      'ours vs floor (rows / per entity, p50) | baseline / ours (p50) | baseline / floor (rows / per entity, p50) |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    lines.push(
      `| ${r.n.toLocaleString('en')} x ${r.features} | ${r.iterations} | ${fmt(r.ours.p50)} / ${fmt(r.ours.p99)} | ${fmt(r.raw.p50)} / ${fmt(r.raw.p99)} | ` +
        `${fmt(r.grouped.p50)} / ${fmt(r.grouped.p99)} | ${fmt(r.baseline.p50)} / ${fmt(r.baseline.p99)} | ` +
        `${(r.ours.p50 / r.raw.p50).toFixed(2)}x / ${(r.ours.p50 / r.grouped.p50).toFixed(2)}x | ${(r.baseline.p50 / r.ours.p50).toFixed(1)}x | ` +
        `${(r.baseline.p50 / r.raw.p50).toFixed(1)}x / ${(r.baseline.p50 / r.grouped.p50).toFixed(1)}x |`,
    );
  }
}
lines.push(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, server ${version}, ${new Date().toISOString().slice(0, 16)}Z, load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
lines.push('');
lines.push(`Writes (rows/s, rows = (entity, feature) rows; ${WRITE_RUNS} runs of the store and ${BASELINE_WRITE_RUNS} of the baseline, alternating, each into an empty table; "median" of 2 is the slower):`);
lines.push('');
lines.push('| | batch | rows/s (median) | rows/s (best) | vs baseline (median / best) |');
lines.push('|---|---|---:|---:|---:|');
lines.push(`| MySQLOnlineStore, one onlineWriteBatch | ${WRITE_ENTITIES.toLocaleString('en')} entities x 10 features | ${rps(median(w.ours))} | ${rps(w.ours[0])} | ${(median(w.ours) / median(w.baseline)).toFixed(1)}x / ${(w.ours[0] / w.baseline[0]).toFixed(1)}x |`);
lines.push(`| MySQLOnlineStore, the same write again (all updates) | ${WRITE_ENTITIES.toLocaleString('en')} x 10 | ${rps(w.overwrite)} (1 run) | | ${(w.overwrite / median(w.baseline)).toFixed(1)}x |`);
lines.push(`| baseline (Feast guide: an upsert per row, a commit per entity) | ${BASELINE_WRITE_ENTITIES.toLocaleString('en')} entities x 10 features | ${rps(median(w.baseline))} | ${rps(w.baseline[0])} | 1x |`);
lines.push('');
lines.push('Reads (one onlineRead call of N random existing entities, all features; milliseconds):');
lines.push('');
readTable(readResults);
lines.push('');
lines.push(
  `Through the TCP proxy (${PROXY_DELAY_MS} ms each way): SELECT 1 p50 ${rtt.proxy.toFixed(3)} ms against ${rtt.direct.toFixed(3)} ms direct, ` +
    `so it adds ${(rtt.proxy - rtt.direct).toFixed(3)} ms per round trip.`,
);
lines.push('');
lines.push(`Writes through the proxy (rows/s; ${PROXY_WRITE_RUNS} runs of the store, 2 of the baseline, each into an empty table; "median" of 2 is the slower):`);
lines.push('');
lines.push('| | batch | rows/s (median) | rows/s (best) | vs baseline (median / best) |');
lines.push('|---|---|---:|---:|---:|');
lines.push(
  `| MySQLOnlineStore, one onlineWriteBatch | ${WRITE_ENTITIES.toLocaleString('en')} entities x 10 features | ${rps(median(proxyWrite.ours))} | ${rps(proxyWrite.ours[0])} | ` +
    `${(median(proxyWrite.ours) / median(proxyWrite.baseline)).toFixed(1)}x / ${(proxyWrite.ours[0] / proxyWrite.baseline[0]).toFixed(1)}x |`,
);
lines.push(`| baseline (Feast guide) | ${PROXY_BASELINE_WRITE_ENTITIES.toLocaleString('en')} entities x 10 features | ${rps(median(proxyWrite.baseline))} | ${rps(proxyWrite.baseline[0])} | 1x |`);
lines.push('');
lines.push('Reads through the proxy (milliseconds):');
lines.push('');
readTable(proxyReadResults);
console.log(lines.join('\n'));

// ---------------------------------------------------------------- cleanup

await store.teardown(config, Object.values(views), []);
await store.close();
await proxyStore.close();
await pool.end();
await floorPool.end();
await proxyPool.end();
await proxyFloorPool.end();
await proxy.close();
if (ownDatabase) await admin.query(`DROP DATABASE \`${database}\``);
await admin.end();
