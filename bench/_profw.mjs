import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Entity, FeastType, FeatureStore, FeatureView, Field, ValueType } from '@feast-ts/core';
const repo = await mkdtemp(path.join(os.tmpdir(), 'feast-profw-'));
await writeFile(path.join(repo, 'feature_store.yaml'), 'project: bench\nonline_store:\n  type: sqlite\n  path: data/online.db\n');
const store = await FeatureStore.open(repo, { resolveFrom: [import.meta.url] });
const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
const names = Array.from({ length: 10 }, (_, i) => `f${i}`);
const view = new FeatureView({ name: 'writes', entities: [driver], schema: names.map((n, i) => new Field({ name: n, dtype: i % 2 ? FeastType.Float64 : FeastType.Int64 })) });
await store.apply([driver, view]);
const ts = new Date('2026-01-01T00:00:00Z');
const rows = Array.from({ length: 10000 }, (_, e) => { const r = { driver_id: BigInt(e), event_timestamp: ts }; names.forEach((n, i) => (r[n] = i % 2 ? e / 7 + i : BigInt(e * i))); return r; });
for (let i = 0; i < Number(process.env.ROUNDS ?? 6); i++) { const t = performance.now(); await store.writeToOnlineStore('writes', rows); console.log('write', (performance.now() - t).toFixed(1), 'ms'); }
