// Benchmark (not a test) of the serving path on @feast-ts/sqlite, in one run:
// the store's own onlineRead, then FeatureStore.getOnlineFeatures and the two
// ways an application reads the response, response.toDict() and
// JSON.stringify(response) (Feast's HTTP body), at 1 x 200, 100 x 200 and
// 1 x 10 (entities x features). Each iteration runs the four on the same
// entities, in rotating order. Run on built packages:
//   pnpm --filter @feast-ts/bench bench:response        (BENCH_QUICK=1 for a smoke run)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';

const QUICK = Boolean(process.env.BENCH_QUICK);
const ENTITIES = QUICK ? 500 : 2_000;
const FEATURES = 200;
const SIZES = [
  { n: 1, features: 200, iterations: QUICK ? 200 : 2_000 },
  { n: 100, features: 200, iterations: QUICK ? 20 : 200 },
  { n: 1, features: 10, iterations: QUICK ? 300 : 3_000 },
];

const repo = await mkdtemp(path.join(os.tmpdir(), 'feast-response-bench-'));
await writeFile(path.join(repo, 'feature_store.yaml'), 'project: bench\nonline_store:\n  type: sqlite\n  path: data/online.db\n');
const store = await FeatureStore.open(repo, { resolveFrom: [import.meta.url] });

// A mix like a real view: int64, double, float, string and bool features.
const TYPES = [FeastType.Int64, FeastType.Float64, FeastType.Float32, FeastType.String, FeastType.Bool];
const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const names = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
const view = new FeatureView({
  name: 'stats',
  entities: [driver],
  ttl: 365 * 86_400,
  schema: names.map((name, i) => new Field({ name, dtype: TYPES[i % TYPES.length] })),
});
await store.apply([driver, view]);

const ts = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
const value = (e, i) => [BigInt(e * i), e / 7, 0.5, `driver ${e} feature ${i}`, (e + i) % 2 === 0][i % TYPES.length];
for (let from = 0; from < ENTITIES; from += 500) {
  const rows = [];
  for (let e = from; e < Math.min(ENTITIES, from + 500); e++) {
    const row = { driver_id: BigInt(e), event_timestamp: ts };
    names.forEach((n, i) => (row[n] = value(e, i)));
    rows.push(row);
  }
  await store.writeToOnlineStore('stats', rows);
}

const registered = await store.getFeatureView('stats');
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const results = [];
for (const { n, features: count, iterations } of SIZES) {
  const requested = names.slice(0, count);
  const refs = requested.map((f) => `stats:${f}`);
  const ops = {
    onlineRead: async (ids) => store.onlineStore.onlineRead(store.config, registered, ids.map((id) => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: id }] })), requested),
    getOnlineFeatures: async (ids) => store.getOnlineFeatures({ features: refs, entityRows: { driver_id: ids } }),
    'getOnlineFeatures + toDict()': async (ids) => (await store.getOnlineFeatures({ features: refs, entityRows: { driver_id: ids } })).toDict(),
    'getOnlineFeatures + JSON.stringify': async (ids) => JSON.stringify(await store.getOnlineFeatures({ features: refs, entityRows: { driver_id: ids } })),
  };
  const labels = Object.keys(ops);
  const convert = ['toDict() of a response', 'JSON.stringify of a response'];
  const times = Object.fromEntries([...labels, ...convert].map((l) => [l, []]));
  let sink = 0;
  for (let it = 0; it < iterations + 20; it++) {
    const ids = Array.from({ length: n }, () => BigInt(Math.floor(Math.random() * ENTITIES)));
    for (let k = 0; k < labels.length; k++) {
      const label = labels[(it + k) % labels.length];
      const t = performance.now();
      const out = await ops[label](ids);
      const dt = performance.now() - t;
      sink += typeof out === 'string' ? out.length : 1;
      if (it >= 20) times[label].push(dt); // the first 20 warm up
      if (label === 'getOnlineFeatures' && it >= 20) {
        // The conversions alone, on the response just read (nothing converted yet: it is lazy).
        let c = performance.now();
        sink += Object.keys(out.toDict()).length;
        times[convert[0]].push(performance.now() - c);
        c = performance.now();
        sink += JSON.stringify(out).length;
        times[convert[1]].push(performance.now() - c);
      }
    }
  }
  if (sink === 0) throw new Error('bench: nothing was produced');
  // Sanity: the response has every value.
  const check = (await store.getOnlineFeatures({ features: refs, entityRows: { driver_id: [1n] } })).toDict();
  if (requested.some((f) => check[f][0] === null)) throw new Error('bench: an existing value read back as null');
  for (const label of [...labels, ...convert]) {
    const sorted = times[label].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
    results.push({ size: `${n} x ${count}`, label, iterations, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean });
  }
}
await store.close();
await rm(repo, { recursive: true, force: true });

const fmt = (ms) => (ms < 1 ? ms.toFixed(3) : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
console.log(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`SQLite, ${ENTITIES.toLocaleString('en-US')} entities x ${FEATURES} features (int64, double, float, string, bool), one run, interleaved\n`);
console.log('| size (entities x features) | operation | calls | p50 ms | p99 ms | mean ms | p50 / onlineRead |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  const base = results.find((x) => x.size === r.size && x.label === 'onlineRead');
  console.log(`| ${r.size} | ${r.label} | ${r.iterations} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.mean)} | ${(r.p50 / base.p50).toFixed(2)} |`);
}
