import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { LegacyJsonRegistryError, RegistryError } from '../errors.js';
import {
  PermissionProto,
  SavedDatasetProto,
  ValidationReferenceProto,
  LabelViewProto,
  type ProtoCodec,
} from '../proto/registry-codec.js';
import {
  DataSourceProto,
  EntityProto,
  FeatureServiceProto,
  FeatureViewProto,
  OnDemandFeatureViewProto,
  ProjectProto,
  StreamFeatureViewProto,
} from '../proto/registry-types.js';
import { applyChangesToDocument } from './apply-changes.js';
import { withFileLock, type FileLockOptions } from './file-lock.js';
import { snapshotFromProtos } from './from-proto.js';
import type { Registry, RegistryChange, RegistryDump, RegistrySnapshot } from './registry.js';
import { RegistryDocument, type RegistryObjectKind } from './registry-document.js';

/** Options of {@link FileRegistry}. */
export interface FileRegistryOptions {
  /** Feast's `cache_ttl_seconds`: how long a read registry is reused; 0 keeps it until refresh(). Default 600. */
  cacheTtlSeconds?: number;
  /** Waiting for, and taking over, another writer's lock. */
  lock?: FileLockOptions;
}

interface FileStamp {
  mtimeMs: number;
  size: number;
  ino: number;
}

interface Cached {
  doc: RegistryDocument;
  stamp: FileStamp | null;
  readAt: number;
  snapshots: Map<string, RegistrySnapshot>;
}

const DUMP_KINDS: Array<[RegistryObjectKind, ProtoCodec<unknown>]> = [
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
  ['projects', ProjectProto],
] as Array<[RegistryObjectKind, ProtoCodec<unknown>]>;

const sameStamp = (a: FileStamp | null, b: FileStamp | null): boolean =>
  a === b || (a !== null && b !== null && a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino);

/** True when the bytes look like JSON (an object or array) rather than a protobuf Registry. */
function looksLikeJson(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (i >= bytes.length || (bytes[i] !== 0x7b && bytes[i] !== 0x5b)) return false;
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return true;
  } catch {
    return false;
  }
}

/**
 * Feast's file registry: one serialized `feast.core.Registry` (`registry.db`, the default
 * `data/registry.db`), read and written byte-compatibly with Python Feast.
 *
 * - Reads serve the configured project only; other projects in the file are kept.
 * - An apply rewrites only the objects it changes; every other byte of the file (data sources,
 *   on-demand views, permissions, saved datasets, infra, other projects, fields of newer Feast
 *   versions) is written back exactly as read.
 * - Writers take a lock file (`<file>.lock`, O_EXCL), re-read the file under it, and replace it
 *   with an atomic rename of a unique temp file: concurrent applies from several processes all
 *   land, and a failed write leaves the previous registry in place.
 * - `cache_ttl_seconds` as Feast: a read registry is reused for that long (0: until refresh());
 *   after it, a stat tells whether the file changed before it is read again.
 */
export class FileRegistry implements Registry {
  readonly file: string;
  readonly cacheTtlSeconds: number;
  readonly #lock: FileLockOptions;
  #cache: Cached | undefined;

  constructor(file: string, options: FileRegistryOptions = {}) {
    this.file = path.resolve(file);
    this.cacheTtlSeconds = options.cacheTtlSeconds ?? 600;
    this.#lock = options.lock ?? {};
  }

  private async statFile(): Promise<FileStamp | null> {
    try {
      const st = await stat(this.file);
      if (!st.isFile()) {
        throw new RegistryError(
          `The registry ${this.file} is not a regular file (a directory or a device). Point \`registry:\` in feature_store.yaml at a registry.db file.`,
        );
      }
      return { mtimeMs: st.mtimeMs, size: st.size, ino: st.ino };
    } catch (err) {
      if (err instanceof RegistryError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new RegistryError(`Cannot read the registry ${this.file}: ${(err as Error).message}`, err);
    }
  }

  /** Reads and parses the file now, bypassing the cache. */
  private async readFresh(): Promise<Cached> {
    const stampBefore = await this.statFile();
    if (stampBefore === null) return { doc: RegistryDocument.empty(), stamp: null, readAt: Date.now(), snapshots: new Map() };
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { doc: RegistryDocument.empty(), stamp: null, readAt: Date.now(), snapshots: new Map() };
      throw new RegistryError(`Cannot read the registry ${this.file}: ${(err as Error).message}`, err);
    }
    if (looksLikeJson(bytes)) throw new LegacyJsonRegistryError(this.file);
    const doc = RegistryDocument.parse(bytes, `The registry ${this.file}`);
    // The stamp taken before reading: a write racing the read makes the next check re-read.
    return { doc, stamp: stampBefore, readAt: Date.now(), snapshots: new Map() };
  }

  private async current(): Promise<Cached> {
    const cached = this.#cache;
    if (cached) {
      const age = Date.now() - cached.readAt;
      if (this.cacheTtlSeconds === 0 || age < this.cacheTtlSeconds * 1000) return cached;
      if (sameStamp(cached.stamp, await this.statFile())) {
        cached.readAt = Date.now();
        return cached;
      }
    }
    this.#cache = await this.readFresh();
    return this.#cache;
  }

  /** The project's snapshot when the cache is fresh and already holds it (see {@link Registry.loadCached}). */
  loadCached(project: string): RegistrySnapshot | undefined {
    const cached = this.#cache;
    if (!cached || (this.cacheTtlSeconds !== 0 && Date.now() - cached.readAt >= this.cacheTtlSeconds * 1000)) return undefined;
    return cached.snapshots.get(project);
  }

  async load(project: string): Promise<RegistrySnapshot> {
    const cached = await this.current();
    let snap = cached.snapshots.get(project);
    if (!snap) {
      snap = this.snapshotOf(cached.doc, project);
      cached.snapshots.set(project, snap);
    }
    return snap;
  }

  private snapshotOf(doc: RegistryDocument, project: string): RegistrySnapshot {
    try {
      const decode = <T>(kind: RegistryObjectKind, codec: ProtoCodec<T>): T[] => doc.objects(kind, project).map((o) => codec.decode(o.bytes));
      return snapshotFromProtos(project, {
        entities: decode('entities', EntityProto),
        featureViews: decode('featureViews', FeatureViewProto),
        streamFeatureViews: decode('streamFeatureViews', StreamFeatureViewProto),
        featureServices: decode('featureServices', FeatureServiceProto),
        onDemandFeatureViews: decode('onDemandFeatureViews', OnDemandFeatureViewProto),
      });
    } catch (err) {
      if (err instanceof RegistryError) throw new RegistryError(`The registry ${this.file}: ${err.message}`, err);
      throw err;
    }
  }

  async apply(project: string, changes: readonly RegistryChange[]): Promise<boolean> {
    if (changes.length === 0) return false;
    await this.statFile(); // refuses a directory or device before anything is created next to it
    await mkdir(path.dirname(this.file), { recursive: true });
    return withFileLock(
      `${this.file}.lock`,
      async () => {
        const fresh = await this.readFresh();
        const changed = applyChangesToDocument(fresh.doc, project, changes, new Date());
        if (!changed) {
          this.#cache = fresh;
          return false;
        }
        const bytes = fresh.doc.toBytes();
        await this.writeAtomically(bytes);
        this.#cache = { doc: RegistryDocument.parse(bytes, `The registry ${this.file}`), stamp: await this.statFile(), readAt: Date.now(), snapshots: new Map() };
        return true;
      },
      this.#lock,
    );
  }

  /** Writes a unique temp file next to the registry, flushes it, and renames it over the registry. */
  private async writeAtomically(bytes: Uint8Array): Promise<void> {
    const tmp = `${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw new RegistryError(`Cannot write the registry ${this.file}: ${(err as Error).message}. The previous registry is unchanged.`, err);
    }
  }

  async refresh(): Promise<void> {
    this.#cache = undefined;
  }

  async listProjects(): Promise<string[]> {
    return (await this.current()).doc.projectNames().sort();
  }

  async dump(project: string): Promise<RegistryDump> {
    const { doc } = await this.current();
    const objects: Record<string, unknown[]> = {};
    for (const [kind, codec] of DUMP_KINDS) {
      const list = doc.objects(kind, project).map((o) => codec.decode(o.bytes));
      if (list.length > 0) objects[kind] = list;
    }
    return { project, objects };
  }

  async close(): Promise<void> {
    // nothing held between calls
  }
}
