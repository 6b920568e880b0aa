#!/usr/bin/env node
// Benchmark (not a test) of @feast-ts/redis on a Redis server and on a throwaway 3-node Redis
// Cluster, side by side with the floor: a raw ioredis pipeline of the same commands with the same
// client library and options (HMGET of the same fields of the same keys, no decoding; for writes,
// the same HSETs with bytes encoded in advance), one pipeline per node on the cluster.
//
// Runs on the built dist: `pnpm turbo run build --filter=@feast-ts/redis... --filter=@feast-ts/test-servers`
// then `pnpm --filter @feast-ts/bench bench:redis`.
// Server: FEAST_REDIS_URL (default redis://127.0.0.1:6379), database 13, keys of a project of its
// own deleted at the end. The cluster comes from the local redis-server/redis-cli on free ports.
// Options (env): BENCH_QUICK=1 for a smoke run; BENCH_NO_CLUSTER=1 to skip the cluster; BENCH_ONLY=writes for the write rows only.

import { randomBytes } from 'node:crypto';
import os from 'node:os';
import calculateSlot from 'cluster-key-slot';
import { Entity, FeastType, FeatureView, Field, ValueProto, ValueType, serializeEntityKey } from '@feast-ts/core';
import { RedisOnlineStore, murmur3_32 } from '@feast-ts/redis';
import { startRedisCluster } from '@feast-ts/test-servers';
import { Cluster, Redis } from 'ioredis';

const QUICK = Boolean(process.env.BENCH_QUICK);
const READ_SIZES = [1, 10, 100];
const FEATURE_COUNTS = [10, 50];
const ITERATIONS = QUICK ? { 1: 100, 10: 60, 100: 30 } : { 1: 600, 10: 300, 100: 120 };
const P99_ITERATIONS = QUICK ? 300 : 3000;
const WRITE_ENTITIES = QUICK ? 1000 : 10_000;
const WRITE_FEATURES = 10;
const WRITE_RUNS = QUICK ? 2 : 9;
// BENCH_ONLY=writes skips the reads (a quicker run of the write rows).
const WRITES_ONLY = process.env.BENCH_ONLY === 'writes';
const DB = 13;

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const view = (features) =>
  new FeatureView({
    name: `bench_${features}`,
    entities: [driver],
    schema: Array.from({ length: features }, (_, i) => new Field({ name: `f${i}`, dtype: i % 2 ? FeastType.Float64 : FeastType.Int64 })),
  });
const key = (id) => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: BigInt(id) }] });
const features = (n, id) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i % 2 ? { doubleVal: id + i / 10 } : { int64Val: BigInt(id * 100 + i) }]));
const mmh3 = (s) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(murmur3_32(Buffer.from(s, 'utf8')));
  return b;
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const now = () => performance.now();

/** A raw pipeline per node (one on a single server): the floor. */
async function rawBatch(client, keys, add) {
  if (!(client instanceof Cluster)) {
    const p = client.pipeline();
    for (let i = 0; i < keys.length; i++) add(p, i);
    return p.exec();
  }
  const groups = new Map();
  for (let i = 0; i < keys.length; i++) {
    const node = client.slots[calculateSlot(keys[i])]?.join(';') ?? '';
    if (!groups.has(node)) groups.set(node, []);
    groups.get(node).push(i);
  }
  return Promise.all(
    [...groups.values()].map((g) => {
      const p = client.pipeline();
      for (const i of g) add(p, i);
      return p.exec();
    }),
  );
}

async function timeEach(iterations, fn) {
  for (let i = 0; i < Math.min(50, iterations); i++) await fn(i); // warm-up
  const samples = new Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const t = now();
    await fn(i);
    samples[i] = now() - t;
  }
  return samples;
}

function printRow(r) {
  console.log(`${r.target.padEnd(28)} ${r.op.padEnd(30)} ${r.store.toFixed(3).padStart(9)} ${r.floor.toFixed(3).padStart(9)} ${(r.store / r.floor).toFixed(2).padStart(7)}`);
}

async function runTarget(name, onlineStore, raw) {
  const project = `bench_${randomBytes(3).toString('hex')}`;
  const config = { project, registry: '/dev/null', provider: 'local', onlineStore, entityKeySerializationVersion: 3, repoPath: process.cwd() };
  const projectBytes = Buffer.from(project);
  const redisKey = (id) => Buffer.concat([Buffer.from(serializeEntityKey(key(id), 3)), projectBytes]);
  const store = new RedisOnlineStore();
  const rows = [];
  rows.push = (...items) => {
    items.forEach(printRow);
    return Array.prototype.push.apply(rows, items);
  };
  const views = Object.fromEntries(FEATURE_COUNTS.map((f) => [f, view(f)]));
  const ENTITIES = 2000;
  for (const f of FEATURE_COUNTS) {
    await store.onlineWriteBatch(config, views[f], Array.from({ length: ENTITIES }, (_, id) => [key(id), features(f, id), new Date(1_700_000_000_000), null]));
  }

  // Reads: the same random entities for the store and the floor.
  for (const f of WRITES_ONLY ? [] : FEATURE_COUNTS) {
    const v = views[f];
    const fieldNames = [...v.features.map((x) => mmh3(`${v.name}:${x.name}`)), Buffer.from(`_ts:${v.name}`)];
    for (const n of READ_SIZES) {
      const iters = ITERATIONS[n];
      const batches = Array.from({ length: iters + 50 }, (_, i) => Array.from({ length: n }, (_, j) => (i * 7919 + j * 104729) % ENTITIES));
      const storeSamples = await timeEach(iters, (i) => store.onlineRead(config, v, batches[i].map(key)));
      const floorSamples = await timeEach(iters, (i) => {
        const keys = batches[i].map(redisKey);
        return rawBatch(raw, keys, (p, k) => p.hmgetBuffer(keys[k], ...fieldNames));
      });
      rows.push({ target: name, op: `read ${n} x ${f}`, store: median(storeSamples), floor: median(floorSamples) });
    }
  }
  // p99 of 1 x 50.
  if (!WRITES_ONLY) {
    const v = views[50];
    const fieldNames = [...v.features.map((x) => mmh3(`${v.name}:${x.name}`)), Buffer.from(`_ts:${v.name}`)];
    const s = await timeEach(P99_ITERATIONS, (i) => store.onlineRead(config, v, [key((i * 7919) % ENTITIES)]));
    const fl = await timeEach(P99_ITERATIONS, (i) => {
      const keys = [redisKey((i * 7919) % ENTITIES)];
      return rawBatch(raw, keys, (p, k) => p.hmgetBuffer(keys[k], ...fieldNames));
    });
    rows.push({ target: name, op: 'read 1 x 50, p99', store: percentile(s, 99), floor: percentile(fl, 99) });
  }

  // Writes: 10,000 entities x 10 features; each run newer event times, so every row is written.
  {
    const v = view(WRITE_FEATURES);
    const wv = new FeatureView({ name: 'bench_write', entities: [driver], schema: v.schema });
    const data = Array.from({ length: WRITE_ENTITIES }, (_, id) => [key(id), features(WRITE_FEATURES, id), null, null]);
    const fieldsOf = wv.features.map((x) => mmh3(`${wv.name}:${x.name}`));
    const tsField = Buffer.from(`_ts:${wv.name}`);
    const keys = data.map((_, id) => redisKey(id + 1_000_000));
    const hsetArgs = data.map(([, feats]) => fieldsOf.flatMap((fld, i) => [fld, Buffer.from(ValueProto.encode(feats[`f${i}`]))]));
    const tsBytes = Buffer.from('08c0ddc8b106', 'hex');
    const storeRuns = [];
    const skipRuns = [];
    const floorRuns = [];
    const skipConfig = { ...config, onlineStore: { ...onlineStore, skip_dedup: true } };
    // The three take turns in a rotating order, so that none always runs right after another.
    for (let r = 0; r < WRITE_RUNS; r++) {
      // The store's rows are newer than anything written before them (the skip_dedup run's included), so every row is written.
      const at = new Date(1_800_000_000_000 + r * 1000);
      const storeAt = new Date(at.getTime() + 500);
      const runs = [
        async () => {
          const t = now();
          await store.onlineWriteBatch(config, wv, data.map(([k, f]) => [k, f, storeAt, null]));
          storeRuns.push(now() - t);
        },
        async () => {
          const t = now();
          await store.onlineWriteBatch(skipConfig, wv, data.map(([k, f]) => [k, f, at, null]));
          skipRuns.push(now() - t);
        },
        async () => {
          const t = now();
          await rawBatch(raw, keys, (p, i) => p.hset(keys[i], tsField, tsBytes, ...hsetArgs[i]));
          floorRuns.push(now() - t);
        },
      ];
      for (let k = 0; k < runs.length; k++) await runs[(r + k) % runs.length]();
    }
    rows.push({ target: name, op: `write ${WRITE_ENTITIES} x ${WRITE_FEATURES}`, store: median(storeRuns), floor: median(floorRuns) });
    rows.push({ target: name, op: `write ${WRITE_ENTITIES} x ${WRITE_FEATURES}, skip_dedup`, store: median(skipRuns), floor: median(floorRuns) });
    await store.teardown(config, [wv], []);
    // The floor's own keys.
    await rawBatch(raw, keys, (p, i) => p.del(keys[i]));
  }
  await store.teardown(config, Object.values(views), []);
  await store.close();
  return rows;
}

const results = [];
console.log(`\n@feast-ts/redis benchmark: ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}${QUICK ? ' (BENCH_QUICK)' : ''}`);
console.log('times in ms (median per call unless p99); floor = raw ioredis pipeline of the same commands\n');
console.log(`${'target'.padEnd(28)} ${'operation'.padEnd(30)} ${'store'.padStart(9)} ${'floor'.padStart(9)} ${'ratio'.padStart(7)}`);
const url = new URL(process.env.FEAST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const host = url.hostname || '127.0.0.1';
const port = Number(url.port || 6379);
const options = { maxRetriesPerRequest: 1, disableClientInfo: true };
{
  const raw = new Redis({ host, port, db: DB, ...options });
  const info = await raw.info('server');
  const version = /redis_version:(\S+)/.exec(info)?.[1];
  results.push(...(await runTarget(`redis ${version} ${host}:${port}`, { type: 'redis', connection_string: `${host}:${port},db=${DB}` }, raw)));
  raw.disconnect();
}
if (!process.env.BENCH_NO_CLUSTER) {
  const cluster = await startRedisCluster(3);
  const raw = new Cluster(cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })), { redisOptions: options });
  await new Promise((r) => raw.once('ready', r));
  try {
    results.push(...(await runTarget('3-node cluster', { type: 'redis', redis_type: 'redis_cluster', connection_string: cluster.connectionString }, raw)));
  } finally {
    raw.disconnect();
    await cluster.stop();
  }
}

console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
