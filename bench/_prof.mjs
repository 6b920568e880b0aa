import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';
const repo = await mkdtemp(path.join(os.tmpdir(), 'feast-prof-'));
await writeFile(path.join(repo, 'feature_store.yaml'), 'project: bench\nonline_store:\n  type: sqlite\n  path: data/online.db\n');
const store = await FeatureStore.open(repo, { resolveFrom: [import.meta.url] });
const F = Number(process.env.F ?? 10), N = Number(process.env.N ?? 1);
const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const names = Array.from({ length: F }, (_, i) => `f${i}`);
const view = new FeatureView({ name: 'v', entities: [driver], schema: names.map((n, i) => new Field({ name: n, dtype: i % 2 ? FeastType.Float64 : FeastType.Int64 })) });
await store.apply([driver, view]);
const rows = Array.from({ length: 1000 }, (_, e) => { const r = { driver_id: BigInt(e), event_timestamp: new Date() }; names.forEach((n, i) => (r[n] = i % 2 ? e / 7 : BigInt(e * i))); return r; });
await store.writeToOnlineStore('v', rows);
const refs = names.map((n) => `v:${n}`);
const os_ = store.onlineStore;
const cfg = store.config;
const ids = () => Array.from({ length: N }, () => BigInt(Math.floor(Math.random() * 1000)));
const mode = process.env.MODE ?? 'both';
const ours = async (k) => (await store.getOnlineFeatures({ features: refs, entityRows: { driver_id: k } })).toDict();
const raw = async (k) => os_.onlineRead(cfg, view, k.map((id) => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: id }] })), names);
const t = { ours: [], store: [] };
const ITER = Number(process.env.ITER ?? 200000);
for (let i = 0; i < ITER; i++) {
  const k = ids();
  if (mode !== 'store') { const a = process.hrtime.bigint(); await ours(k); t.ours.push(Number(process.hrtime.bigint() - a)); }
  if (mode !== 'ours') { const a = process.hrtime.bigint(); await raw(k); t.store.push(Number(process.hrtime.bigint() - a)); }
}
const med = (a) => { const s = a.slice(a.length / 2).sort((x, y) => x - y); return s[Math.floor(s.length / 2)] / 1000; };
console.log(`N=${N} F=${F} ours p50 ${t.ours.length ? med(t.ours).toFixed(2) : '-'} µs, store ${t.store.length ? med(t.store).toFixed(2) : '-'} µs`);
