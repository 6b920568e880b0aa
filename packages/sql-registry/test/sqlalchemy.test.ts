// SQLAlchemy itself (the library Python Feast's SqlRegistry is built on) against this package:
// its create_all of Feast's tables gives the same catalog as ensureSchema, and Python, reading with
// SQLAlchemy and the protobuf classes protoc generates, sees what feast-ts applied into tables
// SQLAlchemy created. CI installs: apt-get install -y python3-sqlalchemy python3-psycopg2
// python3-pymysql protobuf-compiler python3-protobuf
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Entity, FeastType, FeatureService, FeatureView, Field, ValueType } from '@feast-ts/core';
import { expect, it } from 'vitest';
import { ensureSchema } from '../src/index.js';
import { isCI, type TestDatabase } from './servers.js';
import { driverFor, eachTarget, freshDatabase, registryFor } from './targets.js';

const SCRIPT = fileURLToPath(new URL('./python/sqlalchemy_check.py', import.meta.url));
const PROTO_DIR = fileURLToPath(new URL('../../core/proto/', import.meta.url));
const python = ['/usr/bin/python3', 'python3'].find(
  (p) => spawnSync(p, ['-c', 'import sqlalchemy, psycopg2, pymysql, google.protobuf'], { stdio: 'ignore' }).status === 0,
);
const hasProtoc = spawnSync('protoc', ['--version'], { stdio: 'ignore' }).status === 0;
const available = python !== undefined && hasProtoc;
if (!available) {
  const msg =
    '[sql-registry] the SQLAlchemy cross-check needs python3 with SQLAlchemy, psycopg2, PyMySQL and protobuf, and protoc ' +
    '(apt-get install -y python3-sqlalchemy python3-psycopg2 python3-pymysql protobuf-compiler python3-protobuf).';
  if (isCI()) throw new Error(`${msg} CI is set, so this is a failure, not a skip.`);
  console.warn(msg);
}

/** The URL as SQLAlchemy with the Python drivers installed here opens it. */
const pythonUrl = (db: TestDatabase): string => db.url.replace('postgresql+psycopg:', 'postgresql+psycopg2:');

function py(db: TestDatabase, ...args: string[]): string {
  // pysqlite does not create the directory of a relative sqlite:///data/registry.db; Feast's users make it.
  mkdirSync(path.join(db.repoPath, 'data'), { recursive: true });
  return execFileSync(python!, [SCRIPT, ...args], { cwd: db.repoPath, encoding: 'utf8' });
}

let generated: string | undefined;
/** Python classes protoc generates from core's .proto files (once per run). */
function pb2(): string {
  if (generated) return generated;
  const out = mkdtempSync(path.join(os.tmpdir(), 'feast-sqlreg-pb2-'));
  const files = ['feast/types/Value.proto', 'feast/types/EntityKey.proto', ...readdirSync(path.join(PROTO_DIR, 'feast/core')).map((f) => `feast/core/${f}`)];
  const includes = ['-I', PROTO_DIR, ...(existsSync('/usr/include/google/protobuf') ? ['-I', '/usr/include'] : [])];
  execFileSync('protoc', [...includes, `--python_out=${out}`, ...files]);
  generated = out;
  return out;
}

eachTarget('SQLAlchemy cross-check', (target) => {
  it.skipIf(!available)("SQLAlchemy's create_all of Feast's tables and ensureSchema give the same catalog", async () => {
    const theirs = await freshDatabase(target);
    const ours = await freshDatabase(target);
    py(theirs, 'create', pythonUrl(theirs));
    await ensureSchema(await driverFor(ours), 'auto');
    const a = JSON.parse(py(theirs, 'describe', pythonUrl(theirs))) as Record<string, unknown>;
    const b = JSON.parse(py(ours, 'describe', pythonUrl(ours))) as Record<string, unknown>;
    expect(Object.keys(a).length).toBe(14);
    expect(b).toEqual(a);
  });

  it.skipIf(!available)('Python reads with SQLAlchemy and protobuf what feast-ts applied into tables SQLAlchemy created', async () => {
    const db = await freshDatabase(target);
    py(db, 'create', pythonUrl(db));
    const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });
    const stats = new FeatureView({
      name: 'driver_hourly_stats',
      entities: [driver],
      schema: [new Field({ name: 'conv_rate', dtype: FeastType.Float32 }), new Field({ name: 'trips', dtype: FeastType.Array(FeastType.Int64) })],
      ttl: 86400,
    });
    const svc = new FeatureService({ name: 'pricing', features: [{ view: stats, features: ['trips'] }] });
    const registry = registryFor(db, { schema_mode: 'verify' });
    expect(await registry.apply('py_project', [driver, stats, svc].map((object) => ({ op: 'put' as const, object })))).toBe(true);
    expect(JSON.parse(py(db, 'read', pb2(), pythonUrl(db), 'py_project'))).toEqual({
      entities: { driver: { join_key: 'driver_id', value_type: ValueType.INT64, project: 'py_project', created: true } },
      feature_views: {
        driver_hourly_stats: {
          entities: ['driver'],
          features: [['conv_rate', ValueType.FLOAT], ['trips', ValueType.INT64_LIST]],
          ttl: 86400,
          online: true,
          row_ts_matches_meta: true,
        },
      },
      feature_services: { pricing: [['driver_hourly_stats', ['trips']]] },
      projects: [['py_project', 'py_project', 'py_project']],
      metadata: ['last_updated_timestamp', 'project_uuid'],
    });
  });
});
