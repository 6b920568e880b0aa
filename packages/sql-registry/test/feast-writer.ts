/**
 * Loads a Feast registry.db into the SQL registry tables the way Python Feast's SqlRegistry
 * stores it: one row per object (`<kind>_name`, `project_id`, `last_updated_timestamp`,
 * `<kind>_proto` = the object's exact bytes), a `projects` row per project, `feast_metadata` with
 * the project's UUID and last update, the infra in `managed_infra` as `infra_obj`. Written with
 * plain SQL, independently of the code under test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProjectMetadataProto, REGISTRY_FIELD, RegistryDocument, type RegistryObjectKind } from '@feast-ts/core';
import type { TestDatabase } from './servers.js';

/** Feast's registry.db vector and what a reader must recover from it. */
export const VECTOR_DIR = fileURLToPath(new URL('../../core/test/fixtures/feast-registry/', import.meta.url));
export const vectorBytes = (): Uint8Array => new Uint8Array(readFileSync(`${VECTOR_DIR}registry.db`));
export const vectorExpected = (): Record<string, unknown> => JSON.parse(readFileSync(`${VECTOR_DIR}expected.json`, 'utf8')) as Record<string, unknown>;

const TABLES: Array<[RegistryObjectKind, string, string, string]> = [
  ['entities', 'entities', 'entity_name', 'entity_proto'],
  ['dataSources', 'data_sources', 'data_source_name', 'data_source_proto'],
  ['featureViews', 'feature_views', 'feature_view_name', 'feature_view_proto'],
  ['streamFeatureViews', 'stream_feature_views', 'feature_view_name', 'feature_view_proto'],
  ['onDemandFeatureViews', 'on_demand_feature_views', 'feature_view_name', 'feature_view_proto'],
  ['labelViews', 'label_views', 'feature_view_name', 'feature_view_proto'],
  ['featureServices', 'feature_services', 'feature_service_name', 'feature_service_proto'],
  ['savedDatasets', 'saved_datasets', 'saved_dataset_name', 'saved_dataset_proto'],
  ['validationReferences', 'validation_references', 'validation_reference_name', 'validation_reference_proto'],
  ['permissions', 'permissions', 'permission_name', 'permission_proto'],
];

/** Every row written, as `table/project/name` -> the proto bytes. */
export type WrittenRows = Map<string, Uint8Array>;

/** Writes every object of a registry.db into the (existing) tables of `db`. */
export async function loadRegistryLikeFeast(db: TestDatabase, registry: Uint8Array, ts = 1_700_000_000): Promise<WrittenRows> {
  const doc = RegistryDocument.parse(registry);
  const written: WrittenRows = new Map();
  for (const [kind, table, nameCol, protoCol] of TABLES) {
    for (const o of doc.objects(kind)) {
      await db.sql(`INSERT INTO ${table} (${nameCol}, project_id, last_updated_timestamp, ${protoCol}) VALUES (?, ?, ?, ?)`, [o.name, o.project, ts, Buffer.from(o.bytes)]);
      written.set(`${table}/${o.project}/${o.name}`, o.bytes);
    }
  }
  const projects = new Set(doc.projectNames());
  for (const o of doc.objects('projects')) {
    await db.sql('INSERT INTO projects (project_id, project_name, last_updated_timestamp, project_proto) VALUES (?, ?, ?, ?)', [o.name, o.name, ts, Buffer.from(o.bytes)]);
    written.set(`projects/${o.name}/${o.name}`, o.bytes);
  }
  const uuids = new Map(doc.objects('projectMetadata').map((o) => [o.name, ProjectMetadataProto.decode(o.bytes).projectUuid ?? '']));
  for (const project of projects) {
    await db.sql('INSERT INTO feast_metadata (project_id, metadata_key, metadata_value, last_updated_timestamp) VALUES (?, ?, ?, ?)', [project, 'project_uuid', uuids.get(project) || `uuid-${project}`, ts]);
    await db.sql('INSERT INTO feast_metadata (project_id, metadata_key, metadata_value, last_updated_timestamp) VALUES (?, ?, ?, ?)', [project, 'last_updated_timestamp', String(ts), ts]);
  }
  const infra = doc.singular(REGISTRY_FIELD.infra);
  if (infra) {
    for (const project of projects) {
      await db.sql('INSERT INTO managed_infra (infra_name, project_id, last_updated_timestamp, infra_proto) VALUES (?, ?, ?, ?)', ['infra_obj', project, ts, Buffer.from(infra)]);
      written.set(`managed_infra/${project}/infra_obj`, infra);
    }
  }
  return written;
}

/** Every row of the object tables as `table/project/name` -> proto bytes, with its timestamp. */
export async function allRows(db: TestDatabase): Promise<Map<string, { proto: string; ts: string }>> {
  const out = new Map<string, { proto: string; ts: string }>();
  const tables: Array<[string, string, string]> = [
    ...TABLES.map(([, t, n, p]) => [t, n, p] as [string, string, string]),
    ['projects', 'project_name', 'project_proto'],
    ['managed_infra', 'infra_name', 'infra_proto'],
  ];
  for (const [table, nameCol, protoCol] of tables) {
    for (const r of await db.sql(`SELECT ${nameCol} AS name, project_id, last_updated_timestamp AS ts, ${protoCol} AS proto FROM ${table}`)) {
      out.set(`${table}/${String(r['project_id'])}/${String(r['name'])}`, {
        proto: Buffer.from(r['proto'] as Uint8Array).toString('hex'),
        ts: String(r['ts']),
      });
    }
  }
  return out;
}
