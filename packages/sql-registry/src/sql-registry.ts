import {
  DataSourceProto,
  DefinitionError,
  EntityProto,
  FeastConfigError,
  FeatureServiceProto,
  FeatureViewProto,
  LabelViewProto,
  OnDemandFeatureViewProto,
  PermissionProto,
  ProjectProto,
  RegistryError,
  SavedDatasetProto,
  StreamFeatureViewProto,
  ValidationReferenceProto,
  encodeRegistryObject,
  isFeastError,
  newProjectBytes,
  registryKindOf,
  snapshotFromProtos,
  type ProtoCodec,
  type Registry,
  type RegistryChange,
  type RegistryConfig,
  type RegistryDump,
  type RegistrySnapshot,
  type RepoConfig,
} from '@feast-ts/core';
import type { SqlDriver } from './drivers/driver.js';
import { engineOptions, openDriver, type EngineOptions } from './drivers/open.js';
import { SqlRegistryDatabaseError, type SqlRegistryErrorKind } from './errors.js';
import { applyRows, listProjectNames, readProject, type ProjectSnapshot, type RowDelete, type RowWrite } from './row-store.js';
import { ensureSchema, type SchemaMode } from './schema.js';
import { OBJECT_TABLES, type ObjectKind } from './tables.js';
import { parseSqlAlchemyUrl, type SqlAlchemyUrl } from './url.js';

/** Codecs of the kinds `dump()` decodes, as the file registry does. */
const DUMP_KINDS: Array<[ObjectKind, ProtoCodec<unknown>]> = [
  ['entities', EntityProto],
  ['dataSources', DataSourceProto],
  ['featureViews', FeatureViewProto],
  ['streamFeatureViews', StreamFeatureViewProto],
  ['onDemandFeatureViews', OnDemandFeatureViewProto],
  ['featureServices', FeatureServiceProto],
  ['savedDatasets', SavedDatasetProto],
  ['validationReferences', ValidationReferenceProto],
  ['permissions', PermissionProto],
  ['labelViews', LabelViewProto],
] as Array<[ObjectKind, ProtoCodec<unknown>]>;

/** View kinds whose names Feast keeps unique across tables. */
const VIEW_KINDS: readonly ObjectKind[] = ['featureViews', 'streamFeatureViews', 'onDemandFeatureViews'];

/** What a delete of each kind of {@link RegistryChange} removes (as core's file registry). */
const DELETE_KINDS: Record<'entity' | 'featureView' | 'featureService', ObjectKind[]> = {
  entity: ['entities'],
  featureView: ['featureViews', 'streamFeatureViews'],
  featureService: ['featureServices'],
};

const SCHEMA_MODES: readonly SchemaMode[] = ['auto', 'verify', 'skip'];

const ADVICE: Record<SqlRegistryErrorKind, string> = {
  unreachable: 'Check that the database server is running and that registry.path names its host and port.',
  auth_failed: 'Check the user name and password in registry.path (write special characters percent-encoded, @ as %40).',
  database_missing: 'Create the database, or fix its name in registry.path.',
  timeout: 'The server did not answer in time; check the network, or raise connect_timeout in the URL.',
  conflict: 'Other writers kept colliding with this apply; run it again.',
  not_a_registry: 'Point registry.path at the database of a Feast SQL registry.',
  query_failed: 'Check that the tables are those of a Feast SQL registry and that the user may read and write them.',
};

const describeKind = (kind: ObjectKind): string =>
  kind === 'streamFeatureViews' ? 'stream feature view' : kind === 'onDemandFeatureViews' ? 'on-demand feature view' : 'feature view';

interface Drivers {
  write: SqlDriver;
  read: SqlDriver;
}

/**
 * Feast's SQL registry (`registry_type: sql`): the registry as rows of Feast's own tables, one
 * per object with its protobuf bytes, on SQLite, PostgreSQL or MySQL / MariaDB. A registry Python
 * Feast writes is read as it is, and an apply from feast-ts is one Python Feast reads.
 *
 * - `registry.path` is the SQLAlchemy URL (`sqlite:///data/registry.db`,
 *   `postgresql+psycopg://user:pass@host:5432/db`, `mysql+pymysql://user:pass@host:3306/db`); a
 *   relative SQLite path is taken from the feature repository. `read_path` (a read replica) serves
 *   reads when set. `sqlalchemy_config_kwargs.pool_size` and `connect_args` are honoured.
 * - Missing tables are created with Feast's DDL (`schema_mode: auto`, the default); tables Feast
 *   created are used as they are. `schema_mode: verify` only checks them, `skip` neither.
 * - Reads are of the configured project only, in one consistent snapshot, cached for
 *   `cache_ttl_seconds` (0: until {@link SqlRegistry.refresh}).
 * - An apply is one transaction: each row it changes is read with a row lock, rebuilt from its
 *   stored bytes (fields feast-ts does not model kept byte for byte), and written back; rows it
 *   does not change are not touched; `feast_metadata` and `projects` are kept as Feast keeps them.
 *   Concurrent applies from several processes all land (a collision retries the transaction).
 */
export class SqlRegistry implements Registry {
  /** The parsed `registry.path`. */
  readonly url: SqlAlchemyUrl;
  /** The parsed `registry.read_path`, when reads go to another database. */
  readonly readUrl: SqlAlchemyUrl | undefined;
  /** Feast's `cache_ttl_seconds`. */
  readonly cacheTtlSeconds: number;
  readonly #engine: EngineOptions;
  readonly #schemaMode: SchemaMode;
  readonly #purgeFeastMetadata: boolean;
  readonly #repoPath: string;
  #drivers: Promise<Drivers> | undefined;
  #cache = new Map<string, { snapshot: RegistrySnapshot; readAt: number }>();
  #closed = false;

  /**
   * Checks the configuration (the URL, `read_path`, `sqlalchemy_config_kwargs`, `schema_mode`);
   * the database is first connected to by the first call that needs it.
   *
   * @throws {@link SqlRegistryUrlError} for a URL of another database or a malformed one
   */
  constructor(registryConfig: RegistryConfig, repoConfig: RepoConfig) {
    const file = repoConfig.configFile;
    const where = file === undefined ? {} : { file };
    const options = registryConfig.options ?? {};
    this.url = withFile(() => parseSqlAlchemyUrl(registryConfig.path, 'registry.path'), file);
    const readPath = options['read_path'];
    if (readPath !== undefined && readPath !== null && typeof readPath !== 'string') {
      throw new FeastConfigError('registry.read_path must be a SQLAlchemy URL (a string).', { keyPath: 'registry.read_path', ...where });
    }
    this.readUrl = readPath ? withFile(() => parseSqlAlchemyUrl(readPath, 'registry.read_path'), file) : undefined;
    this.#engine = engineOptions(options['sqlalchemy_config_kwargs'], file);
    const mode = options['schema_mode'] ?? 'auto';
    if (!SCHEMA_MODES.includes(mode as SchemaMode)) {
      throw new FeastConfigError(`registry.schema_mode must be one of auto, verify, skip, not ${JSON.stringify(mode)}.`, {
        keyPath: 'registry.schema_mode',
        ...where,
      });
    }
    this.#schemaMode = mode as SchemaMode;
    this.#purgeFeastMetadata = options['purge_feast_metadata'] === true;
    this.cacheTtlSeconds = registryConfig.cacheTtlSeconds;
    this.#repoPath = repoConfig.repoPath;
  }

  /** The URL with its password hidden. */
  get description(): string {
    return this.url.redacted;
  }

  #open(): Promise<Drivers> {
    if (this.#closed) return Promise.reject(new RegistryError(`The SQL registry ${this.description} is closed.`));
    this.#drivers ??= (async () => {
      const write = await openDriver(this.url, this.#engine, this.#repoPath);
      try {
        await ensureSchema(write, this.#schemaMode);
        const read = this.readUrl ? await openDriver(this.readUrl, this.#engine, this.#repoPath) : write;
        return { write, read };
      } catch (err) {
        await write.close().catch(() => undefined);
        throw err;
      }
    })().catch((err: unknown) => {
      this.#drivers = undefined; // the next call tries again (the server may be back)
      throw this.#wrap(err, 'open', this.url.redacted);
    });
    return this.#drivers;
  }

  #wrap(err: unknown, action: string, description: string, driver?: SqlDriver): unknown {
    if (isFeastError(err)) return err;
    const cls = driver?.classify(err) ?? 'other';
    const kind: SqlRegistryErrorKind =
      cls === 'retry' ? 'conflict' : cls === 'other' ? (driver ? 'query_failed' : classifyOpenError(err)) : cls;
    const detail = err instanceof Error ? err.message : String(err);
    const advice =
      kind === 'unreachable' && this.url.dialect === 'sqlite'
        ? 'Check that the SQLite file (a path relative to the feature repository after sqlite:///, absolute after sqlite:////) is in a directory that exists or can be created, and that it may be written.'
        : ADVICE[kind];
    return new SqlRegistryDatabaseError(kind, `Cannot ${action} the SQL registry ${description}: ${detail}. ${advice}`, err);
  }

  async #readSnapshot(project: string): Promise<ProjectSnapshot> {
    const { read } = await this.#open();
    try {
      return await readProject(read, project);
    } catch (err) {
      throw this.#wrap(err, 'read', read.description, read);
    }
  }

  #decode<T>(codec: ProtoCodec<T>, snap: ProjectSnapshot, kind: ObjectKind): T[] {
    return snap.objects[kind].map((row) => {
      try {
        return codec.decode(row.proto);
      } catch (err) {
        throw new RegistryError(
          `The SQL registry ${this.description}: row "${row.name}" of project "${snap.project}" in table ${OBJECT_TABLES[kind].table} ` +
            `(${OBJECT_TABLES[kind].protoColumn}) is not a ${codec.typeName}. It was not written by Feast, or is corrupt; re-apply that object with Feast.`,
          err,
        );
      }
    });
  }

  /** The project's snapshot when the cache holds it and it is still fresh (see `Registry.loadCached`). */
  loadCached(project: string): RegistrySnapshot | undefined {
    const cached = this.#cache.get(project);
    if (cached && (this.cacheTtlSeconds === 0 || Date.now() - cached.readAt < this.cacheTtlSeconds * 1000)) return cached.snapshot;
    return undefined;
  }

  async load(project: string): Promise<RegistrySnapshot> {
    const fresh = this.loadCached(project);
    if (fresh) return fresh;
    const snap = await this.#readSnapshot(project);
    const snapshot = snapshotFromProtos(project, {
      entities: this.#decode(EntityProto, snap, 'entities'),
      featureViews: this.#decode(FeatureViewProto, snap, 'featureViews'),
      streamFeatureViews: this.#decode(StreamFeatureViewProto, snap, 'streamFeatureViews'),
      featureServices: this.#decode(FeatureServiceProto, snap, 'featureServices'),
      onDemandFeatureViews: this.#decode(OnDemandFeatureViewProto, snap, 'onDemandFeatureViews'),
    });
    this.#cache.set(project, { snapshot, readAt: Date.now() });
    return snapshot;
  }

  async apply(project: string, changes: readonly RegistryChange[]): Promise<boolean> {
    if (changes.length === 0) return false;
    const writes: RowWrite[] = [];
    const deletes: RowDelete[] = [];
    for (const change of changes) {
      if (change.op === 'delete') {
        for (const kind of DELETE_KINDS[change.kind]) deletes.push({ kind, name: change.name });
        continue;
      }
      const object = change.object;
      const kind = registryKindOf(object) as ObjectKind;
      const others = VIEW_KINDS.includes(kind) ? VIEW_KINDS.filter((k) => k !== kind) : [];
      writes.push({
        kind,
        name: object.name,
        build: (existing, now) => {
          const bytes = encodeRegistryObject(object, project, existing ?? undefined, now);
          return bytes === existing ? null : bytes;
        },
        ...(others.length === 0
          ? {}
          : {
              conflicts: {
                kinds: others,
                error: (other: ObjectKind) =>
                  new DefinitionError(
                    `Cannot apply "${object.name}" as a ${describeKind(kind)}: project "${project}" already has a ${describeKind(other)} of that name. ` +
                      'Feast keeps view names unique across kinds; rename one, or delete the other first.',
                  ),
              },
            }),
      });
    }
    const { write } = await this.#open();
    let result;
    try {
      result = await applyRows(write, {
        project,
        writes,
        deletes,
        newProject: (now) => newProjectBytes(project, now),
        purgeFeastMetadata: this.#purgeFeastMetadata,
      });
    } catch (err) {
      throw this.#wrap(err, 'apply to', write.description, write);
    }
    this.#cache.delete(project);
    return result.written > 0 || result.deleted > 0;
  }

  async refresh(): Promise<void> {
    this.#cache.clear();
  }

  async listProjects(): Promise<string[]> {
    const { read } = await this.#open();
    try {
      return await listProjectNames(read);
    } catch (err) {
      throw this.#wrap(err, 'read', read.description, read);
    }
  }

  async dump(project: string): Promise<RegistryDump> {
    const snap = await this.#readSnapshot(project);
    const objects: Record<string, unknown[]> = {};
    for (const [kind, codec] of DUMP_KINDS) {
      const list = this.#decode(codec, snap, kind);
      if (list.length > 0) objects[kind] = list;
    }
    if (snap.projectRow) objects['projects'] = [ProjectProto.decode(snap.projectRow.proto)];
    return { project, objects };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const drivers = await this.#drivers?.catch(() => undefined);
    this.#drivers = undefined;
    if (!drivers) return;
    await drivers.write.close();
    if (drivers.read !== drivers.write) await drivers.read.close();
  }
}

function withFile<T>(fn: () => T, file: string | undefined): T {
  try {
    return fn();
  } catch (err) {
    if (file !== undefined && err instanceof FeastConfigError && err.file === undefined) {
      Object.defineProperty(err, 'file', { value: file });
      err.message = `${file}: ${err.message}`;
    }
    throw err;
  }
}

/** Errors met while connecting, before a driver exists to classify them. */
function classifyOpenError(err: unknown): SqlRegistryErrorKind {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const errno = (err as { errno?: unknown } | null)?.errno;
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'ENOTDIR', 'EEXIST', 'EACCES', 'EROFS', 'ENOENT'].includes(code) || code.startsWith('SQLITE_CANTOPEN')) {
    return 'unreachable';
  }
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === '28P01' || code === '28000' || errno === 1045 || errno === 1044) return 'auth_failed';
  if (code === '3D000' || errno === 1049) return 'database_missing';
  return 'query_failed';
}
