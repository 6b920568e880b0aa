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
const cfg = store.config;
const t = { A: [], B: [], C: [] };
for (let i = 0; i < Number(process.env.ITER ?? 100000); i++) {
  const ids = Array.from({ length: N }, () => BigInt(Math.floor(Math.random() * 1000)));
  const keys = ids.map((id) => ({ joinKeys: ['driver_id'], entityValues: [{ int64Val: id }] }));
  const entityRows = ids.map((id) => ({ driver_id: id }));
  const m = { A: async () => store.onlineStore.onlineRead(cfg, view, keys, names), B: async () => store.getOnlineFeatures({ features: refs, entityRows }), C: async () => (await store.getOnlineFeatures({ features: refs, entityRows })).toDict() };
  for (const k of i % 3 === 0 ? ['A', 'B', 'C'] : i % 3 === 1 ? ['B', 'C', 'A'] : ['C', 'A', 'B']) { const a = performance.now(); await m[k](); t[k].push(performance.now() - a); }
}
const med = (a) => { const s = a.slice(a.length / 4).sort((x, y) => x - y); return s[Math.floor(s.length / 2)] * 1000; };
console.log(`N=${N} F=${F} store ${med(t.A).toFixed(2)} µs; getOnlineFeatures ${med(t.B).toFixed(2)} (${(med(t.B)/med(t.A)).toFixed(3)}x); +toDict ${med(t.C).toFixed(2)} (${(med(t.C)/med(t.A)).toFixed(3)}x)`);
