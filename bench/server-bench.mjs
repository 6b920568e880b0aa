// The feast-ts feature server under load, on loopback: autocannon against `createFeatureServer` on
// SQLite and Redis, beside a bare Fastify server answering the same response bytes (the floor), and
// the in-process cost of the store read (FeatureStore.getOnlineFeatures) for the overhead split;
// for one entity, also a paced run (PACED_RATE req/s over 16 connections, paced-load.mjs) beside the
// saturated ones, to show the latency when the server is not saturated.
//
//   pnpm --filter @feast-ts/server... --filter @feast-ts/redis build && pnpm --filter @feast-ts/bench bench:server   (~7 minutes)
//   BENCH_QUICK=1 pnpm --filter @feast-ts/bench bench:server                                  (a smoke run)
//   FEAST_REDIS_URL=redis://127.0.0.1:6379 (default) names the Redis server; keys use a project of their own, removed at the end.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';
import { onlineResponseJson } from '@feast-ts/server';
import { pacedLoad } from './paced-load.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 1 : 5;
const ROUND_S = 1;
const WARMUP_S = QUICK ? 0.5 : 1;
const READ_RUNS = QUICK ? 200 : 2000;
const ENTITIES = 1000;
const CONNECTIONS = [1, 16, 64];
// The paced (open-loop) runs: this many requests per second, evenly spaced, over 16 connections.
const PACED_RATE = 1000;
const PACED_CONNECTIONS = 16;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REDIS_URL = new URL(process.env.FEAST_REDIS_URL ?? 'redis://127.0.0.1:6379');

const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const view = (name, n) =>
  new FeatureView({
    name,
    entities: [driver],
    schema: Array.from({ length: n }, (_, i) => new Field({ name: `f${i}`, dtype: i % 2 === 0 ? FeastType.Float64 : FeastType.Int64 })),
  });
const VIEWS = [view('stats10', 10), view('stats50', 50)];
const ids = (n) => Array.from({ length: n }, (_, i) => (i * 7 + 17) % ENTITIES);
const CASES = [
  { name: '1x10', view: 'stats10', features: 10, ids: ids(1) },
  { name: '1x50', view: 'stats50', features: 50, ids: ids(1) },
  { name: '100x50', view: 'stats50', features: 50, ids: ids(100) },
].map((c) => ({
  ...c,
  refs: Array.from({ length: c.features }, (_, i) => `${c.view}:f${i}`),
  body: JSON.stringify({ features: Array.from({ length: c.features }, (_, i) => `${c.view}:f${i}`), entities: { driver_id: c.ids } }),
}));

async function makeRepo(onlineStoreYaml) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'feast-ts-server-bench-'));
  const project = `srvbench_${Math.random().toString(36).slice(2, 8)}`;
  writeFileSync(path.join(dir, 'feature_store.yaml'), `project: ${project}\nregistry: data/registry.db\nonline_store: ${onlineStoreYaml}\n`);
  const store = await FeatureStore.open(dir, { resolveFrom: [import.meta.url] });
  await store.apply([driver, ...VIEWS]);
  const ts = new Date();
  for (const v of VIEWS) {
    const rows = Array.from({ length: ENTITIES }, (_, e) => {
      const row = { driver_id: BigInt(e), event_timestamp: ts };
      v.features.forEach((f, i) => (row[f.name] = i % 2 === 0 ? e * 0.001 + i : BigInt(e * 100 + i)));
      return row;
    });
    await store.writeToOnlineStore(v.name, rows);
  }
  return { dir, store };
}

function pct(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function startServer(args) {
  const child = spawn(process.execPath, [path.join(HERE, 'server-bench-serve.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  /** The server process's CPU time so far, in microseconds (user + system). */
  const cpu = () =>
    new Promise((r) => {
      child.once('message', (u) => r(u.user + u.system));
      child.send('cpu');
    });
  /** The in-process cost of the store read and the JSON writer, measured in the server process (see server-bench-serve.mjs). */
  const readCost = (c) =>
    new Promise((r) => {
      child.once('message', (m) => r(m.readCost));
      child.send({ read: { refs: c.refs, ids: c.ids, runs: c.ids.length > 1 ? READ_RUNS / 10 : READ_RUNS } });
    });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /ready (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), cpu, readCost, stop: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) });
    });
    child.once('exit', (code) => reject(new Error(`server ${args[0]} exited ${code}: ${out}`)));
  });
}

async function load(url, body, connections, seconds, latencies) {
  const instance = autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections, duration: seconds, pipelining: 1 });
  if (latencies) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  if (result.non2xx || result.errors || result.timeouts) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
}

function summary(latencies, seconds) {
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), n: latencies.length };
}

/**
 * Ours and the floor in alternating runs of ROUND_S seconds (the order flipping each round), so
 * that load from elsewhere on the machine falls on both alike.
 */
async function measurePair(oursServer, floorServer, route, c, connections) {
  const oursUrl = `http://127.0.0.1:${oursServer.port}/get-online-features`;
  const floorUrl = `http://127.0.0.1:${floorServer.port}${route}`;
  const cpu = new Map([[oursUrl, 0], [floorUrl, 0]]);
  const cpuOf = new Map([[oursUrl, oursServer.cpu], [floorUrl, floorServer.cpu]]);
  await load(floorUrl, c.body, connections, WARMUP_S / 2);
  await load(oursUrl, c.body, connections, WARMUP_S / 2);
  const ours = [];
  const floor = [];
  // 100 entities take long enough that 64 of them in flight need longer rounds to finish within one.
  const rounds = c.ids.length > 1 ? Math.max(1, ROUNDS - 2) : ROUNDS;
  const roundS = c.ids.length > 1 ? 3 * ROUND_S : ROUND_S;
  for (let round = 0; round < rounds; round++) {
    const pair = round % 2 === 0 ? [[oursUrl, ours], [floorUrl, floor]] : [[floorUrl, floor], [oursUrl, ours]];
    for (const [url, into] of pair) {
      const before = await cpuOf.get(url)();
      await load(url, c.body, connections, roundS, into);
      cpu.set(url, cpu.get(url) + (await cpuOf.get(url)()) - before);
    }
  }
  const o = summary(ours, rounds * roundS);
  const f = summary(floor, rounds * roundS);
  // CPU per request of each server process (µs), whatever else the machine runs.
  return { ours: { ...o, cpuUs: cpu.get(oursUrl) / o.n }, floor: { ...f, cpuUs: cpu.get(floorUrl) / f.n } };
}

/**
 * Ours and the floor under the same paced load (PACED_RATE req/s over PACED_CONNECTIONS
 * connections, see paced-load.mjs), in alternating rounds: latency when the server is not
 * saturated, beside the saturated runs above (where latency is mostly the queue: connections /
 * throughput).
 */
async function measurePaced(oursServer, floorServer, route, c) {
  const targets = [
    { server: oursServer, path: '/get-online-features', lat: [], cpu: 0, late: 0 },
    { server: floorServer, path: route, lat: [], cpu: 0, late: 0 },
  ];
  const run = (t, seconds) => pacedLoad({ port: t.server.port, path: t.path, body: c.body, connections: PACED_CONNECTIONS, rate: PACED_RATE, seconds });
  for (const t of targets) await run(t, WARMUP_S);
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
      const before = await t.server.cpu();
      const r = await run(t, ROUND_S);
      t.cpu += (await t.server.cpu()) - before;
      t.lat.push(...r.latencies);
      t.late += r.late;
    }
  }
  const [o, f] = targets.map((t) => ({ ...summary(t.lat, ROUNDS * ROUND_S), cpuUs: t.cpu / t.lat.length, late: t.late }));
  return { ours: o, floor: f };
}

/**
 * Redis alone under the paced load's rate: one HMGET of 51 fields (what a 1 x 50 read sends), due
 * every 1/PACED_RATE s, from this process, no HTTP server involved: the tail that the machine and
 * the Redis round trip give by themselves.
 */
async function redisRoundTrips(seconds) {
  const client = new Redis({ host: REDIS_URL.hostname, port: Number(REDIS_URL.port || 6379) });
  const fields = Array.from({ length: 51 }, (_, i) => `f${i}`);
  const latencies = [];
  const total = Math.round(PACED_RATE * seconds);
  const start = performance.now();
  let sent = 0;
  await new Promise((resolve, reject) => {
    const tick = () => {
      while (sent < total && start + (sent * 1000) / PACED_RATE <= performance.now()) {
        const t0 = performance.now();
        sent++;
        client.hmgetBuffer('feast-ts-server-bench:no-such-key', ...fields).then(() => {
          latencies.push(performance.now() - t0);
          if (latencies.length === total) resolve();
        }, reject);
      }
      if (sent < total) setTimeout(tick, 0);
    };
    tick();
  });
  await client.quit();
  latencies.sort((a, b) => a - b);
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), p999: pct(latencies, 99.9) };
}

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  loadBefore: os.loadavg().map((l) => l.toFixed(2)).join(' '),
};
const redis = new Redis({ host: REDIS_URL.hostname, port: Number(REDIS_URL.port || 6379), lazyConnect: true });
await redis.connect();
machine.redis = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1];
await redis.quit();

const stores = [
  { name: 'SQLite', yaml: '{ type: sqlite, path: data/online.db }' },
  { name: 'Redis', yaml: `{ type: redis, connection_string: "${REDIS_URL.hostname}:${REDIS_URL.port || 6379}" }` },
];
const rows = [];
const paced = [];
const reads = {};
const floorBodies = {};
for (const s of stores) {
  const { dir, store } = await makeRepo(s.yaml);
  s.dir = dir;
  s.store = store;
  for (const c of CASES) {
    if (s.name === 'Redis') floorBodies[c.name] = onlineResponseJson(await store.getOnlineFeatures({ features: c.refs, entityRows: { driver_id: c.ids } }));
  }
}
const bodiesFile = path.join(stores[0].dir, 'floor-bodies.json');
writeFileSync(bodiesFile, JSON.stringify(floorBodies));

const floor = await startServer(['floor', bodiesFile]);
for (const s of stores) {
  const server = await startServer(['feast', s.dir]);
  for (const c of CASES) {
    for (const conn of CONNECTIONS) {
      const { ours, floor: fl } = await measurePair(server, floor, `/floor/${c.name}`, c, conn);
      rows.push({ store: s.name, case: c.name, connections: conn, ...ours, floor: fl });
      console.error(`${s.name} ${c.name} c=${conn}: ${ours.rps.toFixed(0)} req/s p50 ${ours.p50.toFixed(3)} p99 ${ours.p99.toFixed(3)} ms; floor ${fl.rps.toFixed(0)} req/s p50 ${fl.p50.toFixed(3)} p99 ${fl.p99.toFixed(3)}`);
    }
    if (c.ids.length === 1) {
      const { ours, floor: fl } = await measurePaced(server, floor, `/floor/${c.name}`, c);
      paced.push({ store: s.name, case: c.name, ...ours, floor: fl });
      console.error(`${s.name} ${c.name} paced ${PACED_RATE}/s c=${PACED_CONNECTIONS}: p50 ${ours.p50.toFixed(3)} p99 ${ours.p99.toFixed(3)} ms; floor p50 ${fl.p50.toFixed(3)} p99 ${fl.p99.toFixed(3)}`);
    }
  }
  // After the load, in the server process (warm): the store read and the JSON writer alone.
  for (const c of CASES) reads[`${s.name} ${c.name}`] = await server.readCost(c);
  await server.stop();
}
await floor.stop();
const redisAlone = await redisRoundTrips(ROUNDS * ROUND_S);
// The cost of the access log (a pino line per request), once: Redis 1 x 50 at 16 connections.
const logged = await startServer(['feast', stores[1].dir, 'access-log']);
const loggedLatencies = [];
await load(`http://127.0.0.1:${logged.port}/get-online-features`, CASES[1].body, 16, WARMUP_S);
await load(`http://127.0.0.1:${logged.port}/get-online-features`, CASES[1].body, 16, ROUNDS * ROUND_S, loggedLatencies);
const withLog = summary(loggedLatencies, ROUNDS * ROUND_S);
await logged.stop();

for (const s of stores) {
  await s.store.teardown();
  await s.store.close();
  rmSync(s.dir, { recursive: true, force: true });
}
machine.loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' ');

const f = (n, d = 2) => n.toFixed(d);
console.log(`\nMachine: ${machine.cores} x ${machine.cpu}, ${machine.memGiB} GiB, Node ${machine.node}, Redis ${machine.redis}; load average before ${machine.loadBefore}, after ${machine.loadAfter}`);
console.log(`Runs: per row ${ROUNDS} rounds of ${ROUND_S} s (100 x 50: ${Math.max(1, ROUNDS - 2)} of ${3 * ROUND_S} s) for ours and as many for the floor, alternating, after ${WARMUP_S} s of warm-up; ${ENTITIES} entities per view.\n`);
console.log('| store | entities x features | connections | req/s | p50 ms | p99 ms | CPU µs/req | floor req/s | floor p50 ms | floor p99 ms | floor CPU µs/req |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.store} | ${r.case.replace('x', ' x ')} | ${r.connections} | ${f(r.rps, 0)} | ${f(r.p50, 3)} | ${f(r.p99, 3)} | ${f(r.cpuUs, 0)} | ${f(r.floor.rps, 0)} | ${f(r.floor.p50, 3)} | ${f(r.floor.p99, 3)} | ${f(r.floor.cpuUs, 0)} |`);
}
console.log(`\nPaced (open loop): ${PACED_RATE} requests per second, evenly spaced, over ${PACED_CONNECTIONS} connections (bench/paced-load.mjs; not autocannon, whose overallRate sends each second's requests in a burst), ${ROUNDS} rounds of ${ROUND_S} s each for ours and the floor, alternating; the latency of a request that found all connections busy counts from when it was due. Beside the saturated rows above, not instead of them.\n`);
console.log('| store | entities x features | req/s | p50 ms | p99 ms | CPU µs/req | waited for a connection | floor p50 ms | floor p99 ms | floor CPU µs/req |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of paced) {
  console.log(`| ${r.store} | ${r.case.replace('x', ' x ')} | ${f(r.rps, 0)} | ${f(r.p50, 3)} | ${f(r.p99, 3)} | ${f(r.cpuUs, 0)} | ${r.late} | ${f(r.floor.p50, 3)} | ${f(r.floor.p99, 3)} | ${f(r.floor.cpuUs, 0)} |`);
}
console.log(`\nRedis alone at the same pace (an HMGET of 51 fields every ${1000 / PACED_RATE} ms from the bench process, no HTTP): p50 ${f(redisAlone.p50, 3)} ms, p99 ${f(redisAlone.p99, 3)} ms, p99.9 ${f(redisAlone.p999, 3)} ms.`);
console.log('\nOverhead at 1 connection: ours - floor - store read, from p50 latencies and from CPU time per request (the store read measured in the server process after its load rounds: FeatureStore.getOnlineFeatures on the store the server serves); writing the JSON answer (onlineResponseJson, what the server runs) is part of the overhead and shown apart.\n');
console.log('| store | entities x features | ours p50 ms | floor p50 ms | store read p50 ms | overhead µs (p50) | CPU µs/req: ours | floor | store read + JSON writer | overhead µs (CPU) | of which the JSON writer µs |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows.filter((x) => x.connections === 1)) {
  const rc = reads[`${r.store} ${r.case}`];
  const cpuOverhead = r.cpuUs - r.floor.cpuUs - rc.cpuUs + rc.jsonMeanUs;
  console.log(`| ${r.store} | ${r.case.replace('x', ' x ')} | ${f(r.p50, 3)} | ${f(r.floor.p50, 3)} | ${f(rc.readP50, 3)} | ${f((r.p50 - r.floor.p50 - rc.readP50) * 1000, 0)} | ${f(r.cpuUs, 0)} | ${f(r.floor.cpuUs, 0)} | ${f(rc.cpuUs, 0)} | ${f(cpuOverhead, 0)} | ${f(rc.jsonMeanUs, 0)} |`);
}
console.log(`\nAccess log on (Redis 1 x 50, 16 connections): ${f(withLog.rps, 0)} req/s, p50 ${f(withLog.p50, 3)} ms, p99 ${f(withLog.p99, 3)} ms.`);
mkdirSync(path.join(HERE, '..', '.tmp'), { recursive: true });
writeFileSync(path.join(HERE, '..', '.tmp', 'server-bench.json'), JSON.stringify({ machine, rows, paced, redisAlone, reads, withLog }, null, 2));
