import { randomUUID } from 'node:crypto';
import { RegistryError } from '../errors.js';
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
  ProjectMetadataProto,
  ProjectProto,
  StreamFeatureViewProto,
} from '../proto/registry-types.js';
import { TimestampMessage } from '../proto/registry-schema.js';
import type { TimestampProto } from '../proto/registry-types.js';
import { bytesEqual, concatBytes, lengthDelimitedRecord, splitRecords, WireFormatError } from '../proto/wire.js';

/** Field numbers of `feast.core.Registry`. */
export const REGISTRY_FIELD = {
  entities: 1,
  featureTables: 2,
  registrySchemaVersion: 3,
  versionId: 4,
  lastUpdated: 5,
  featureViews: 6,
  featureServices: 7,
  onDemandFeatureViews: 8,
  infra: 10,
  savedDatasets: 11,
  dataSources: 12,
  validationReferences: 13,
  streamFeatureViews: 14,
  projectMetadata: 15,
  permissions: 16,
  projects: 17,
  featureViewVersionHistory: 18,
  labelViews: 19,
} as const;

/** The repeated, per-project object lists of a Registry that {@link RegistryDocument} can edit. */
export type RegistryObjectKind =
  | 'entities'
  | 'featureViews'
  | 'streamFeatureViews'
  | 'onDemandFeatureViews'
  | 'featureServices'
  | 'dataSources'
  | 'savedDatasets'
  | 'validationReferences'
  | 'permissions'
  | 'projects'
  | 'projectMetadata'
  | 'labelViews';

/** Name and project of a stored object. */
export interface ObjectIdentity {
  name: string;
  project: string;
}

type Spec = { spec?: { name?: string; project?: string } };
const bySpec = (o: Spec): ObjectIdentity => ({ name: o.spec?.name ?? '', project: o.spec?.project ?? '' });
const flat = (o: { name?: unknown; project?: unknown }): ObjectIdentity => ({
  name: typeof o.name === 'string' ? o.name : '',
  project: typeof o.project === 'string' ? o.project : '',
});

const IDENTIFY: Record<RegistryObjectKind, { codec: ProtoCodec<never>; identify: (o: never) => ObjectIdentity }> = {
  entities: { codec: EntityProto as ProtoCodec<never>, identify: bySpec },
  featureViews: { codec: FeatureViewProto as ProtoCodec<never>, identify: bySpec },
  streamFeatureViews: { codec: StreamFeatureViewProto as ProtoCodec<never>, identify: bySpec },
  onDemandFeatureViews: { codec: OnDemandFeatureViewProto as ProtoCodec<never>, identify: bySpec },
  featureServices: { codec: FeatureServiceProto as ProtoCodec<never>, identify: bySpec },
  dataSources: { codec: DataSourceProto as ProtoCodec<never>, identify: flat },
  savedDatasets: { codec: SavedDatasetProto as ProtoCodec<never>, identify: (o: { spec?: { name?: unknown; project?: unknown } }) => flat(o.spec ?? {}) },
  validationReferences: { codec: ValidationReferenceProto as ProtoCodec<never>, identify: flat },
  permissions: { codec: PermissionProto as ProtoCodec<never>, identify: (o: { spec?: { name?: unknown; project?: unknown } }) => flat(o.spec ?? {}) },
  projects: { codec: ProjectProto as ProtoCodec<never>, identify: (o: { spec?: { name?: string } }) => ({ name: o.spec?.name ?? '', project: o.spec?.name ?? '' }) },
  projectMetadata: { codec: ProjectMetadataProto as ProtoCodec<never>, identify: (o: { project?: string }) => ({ name: o.project ?? '', project: o.project ?? '' }) },
  labelViews: { codec: LabelViewProto as ProtoCodec<never>, identify: (o: { spec?: { name?: unknown; project?: unknown } }) => flat(o.spec ?? {}) },
};

interface Entry {
  field: number;
  /** The whole record (tag, length, payload) as found or as spliced in. */
  bytes: Uint8Array;
  /** The payload of a length-delimited record; the value bytes otherwise. */
  payload: Uint8Array;
  identity?: ObjectIdentity;
}

/** One stored object: its identity and its exact bytes. */
export interface StoredObject extends ObjectIdentity {
  /** The object's serialized bytes exactly as stored. */
  bytes: Uint8Array;
}

/**
 * A `feast.core.Registry` held as its wire records. Reading decodes only what is asked for;
 * editing replaces, inserts or removes single object records and leaves every other byte, of
 * every object and of every field this schema does not know, exactly as it was. This is what makes
 * a read-modify-write of a registry Python Feast wrote lose nothing.
 */
export class RegistryDocument {
  #entries: Entry[];
  #changed = false;

  private constructor(entries: Entry[]) {
    this.#entries = entries;
  }

  /**
   * Parses registry.db bytes (a serialized `feast.core.Registry`).
   * @param source named in errors (a file path, a table row)
   * @throws RegistryError when the bytes are not a protobuf message
   */
  static parse(bytes: Uint8Array, source = 'the registry'): RegistryDocument {
    try {
      return new RegistryDocument(splitRecords(bytes).map((r) => ({ field: r.field, bytes: r.bytes, payload: r.payload })));
    } catch (cause) {
      const where = cause instanceof WireFormatError ? ` (stopped at byte ${cause.offset} of ${bytes.length})` : '';
      throw new RegistryError(`${source} is not a Feast registry: its bytes are not a protobuf feast.core.Registry${where}.`, cause);
    }
  }

  /** A registry with nothing in it. */
  static empty(): RegistryDocument {
    return new RegistryDocument([]);
  }

  /** Whether an edit changed something since parsing. */
  get changed(): boolean {
    return this.#changed;
  }

  private identityOf(kind: RegistryObjectKind, e: Entry): ObjectIdentity {
    if (!e.identity) {
      const { codec, identify } = IDENTIFY[kind];
      e.identity = identify(codec.decode(e.payload) as never);
    }
    return e.identity;
  }

  /** The stored objects of a kind, in stored order; with `project`, only that project's. */
  objects(kind: RegistryObjectKind, project?: string): StoredObject[] {
    const field = REGISTRY_FIELD[kind];
    const out: StoredObject[] = [];
    for (const e of this.#entries) {
      if (e.field !== field) continue;
      const id = this.identityOf(kind, e);
      if (project === undefined || id.project === project) out.push({ ...id, bytes: e.payload });
    }
    return out;
  }

  /** The distinct projects that own objects or are listed in `projects` / `project_metadata`. */
  projectNames(): string[] {
    const names = new Set<string>();
    for (const kind of Object.keys(IDENTIFY) as RegistryObjectKind[]) {
      for (const o of this.objects(kind)) if (o.project) names.add(o.project);
    }
    return [...names];
  }

  /** The stored bytes of one object, or `undefined`. */
  get(kind: RegistryObjectKind, project: string, name: string): Uint8Array | undefined {
    return this.objects(kind, project).find((o) => o.name === name)?.bytes;
  }

  /**
   * Stores `bytes` as the object `name` of `project`: in place of the stored one (and its
   * duplicates), or after the last object of its kind. A no-op when the bytes are already stored.
   */
  put(kind: RegistryObjectKind, project: string, name: string, bytes: Uint8Array): void {
    const field = REGISTRY_FIELD[kind];
    const record = lengthDelimitedRecord(field, bytes);
    const fresh: Entry = { field, bytes: record, payload: record.subarray(record.length - bytes.length), identity: { name, project } };
    let placed = false;
    const next: Entry[] = [];
    for (const e of this.#entries) {
      if (e.field === field) {
        const id = this.identityOf(kind, e);
        if (id.name === name && id.project === project) {
          if (!placed) {
            placed = true;
            if (bytesEqual(e.payload, bytes)) next.push(e);
            else {
              next.push(fresh);
              this.#changed = true;
            }
          } else this.#changed = true; // a duplicate: dropped
          continue;
        }
      }
      next.push(e);
    }
    if (!placed) {
      insertInFieldOrder(next, fresh);
      this.#changed = true;
    }
    this.#entries = next;
  }

  /** Removes the object `name` of `project`. Returns whether it was there. */
  remove(kind: RegistryObjectKind, project: string, name: string): boolean {
    const field = REGISTRY_FIELD[kind];
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) => {
      if (e.field !== field) return true;
      const id = this.identityOf(kind, e);
      return !(id.name === name && id.project === project);
    });
    const removed = this.#entries.length !== before;
    if (removed) this.#changed = true;
    return removed;
  }

  /** The payload of a singular field (the last occurrence, as protobuf reads it), or `undefined`. */
  singular(field: number): Uint8Array | undefined {
    let found: Uint8Array | undefined;
    for (const e of this.#entries) if (e.field === field) found = e.payload;
    return found;
  }

  /** Sets a singular length-delimited field (a string or a message), replacing every occurrence. */
  setSingular(field: number, payload: Uint8Array): void {
    const record = lengthDelimitedRecord(field, payload);
    const fresh: Entry = { field, bytes: record, payload: record.subarray(record.length - payload.length) };
    const at = this.#entries.findIndex((e) => e.field === field);
    const rest = this.#entries.filter((e) => e.field !== field);
    if (at >= 0) {
      const firstAfter = this.#entries.slice(0, at).filter((e) => e.field !== field).length;
      rest.splice(firstAfter, 0, fresh);
    } else insertInFieldOrder(rest, fresh);
    this.#entries = rest;
    this.#changed = true;
  }

  /** `registry_schema_version`, `version_id` and `last_updated`, decoded. */
  metadata(): { registrySchemaVersion: string | undefined; versionId: string | undefined; lastUpdated: TimestampProto | undefined } {
    const text = (f: number): string | undefined => {
      const p = this.singular(f);
      return p === undefined ? undefined : new TextDecoder().decode(p);
    };
    const ts = this.singular(REGISTRY_FIELD.lastUpdated);
    return {
      registrySchemaVersion: text(REGISTRY_FIELD.registrySchemaVersion),
      versionId: text(REGISTRY_FIELD.versionId),
      lastUpdated: ts === undefined ? undefined : (TimestampMessage.toObject(TimestampMessage.decode(ts), { longs: BigInt }) as TimestampProto),
    };
  }

  /**
   * What Feast's `commit()` does before writing: a new `version_id` (a UUID) and `last_updated`,
   * and `registry_schema_version` "1" when it is not set.
   */
  stamp(now: Date): void {
    if (this.singular(REGISTRY_FIELD.registrySchemaVersion) === undefined) {
      this.setSingular(REGISTRY_FIELD.registrySchemaVersion, new TextEncoder().encode('1'));
    }
    this.setSingular(REGISTRY_FIELD.versionId, new TextEncoder().encode(randomUUID()));
    this.setSingular(REGISTRY_FIELD.lastUpdated, encodeTimestamp(now));
  }

  /** The serialized Registry. */
  toBytes(): Uint8Array {
    return concatBytes(this.#entries.map((e) => e.bytes));
  }
}

/** After the last entry of the same field, else before the first entry of a higher field number. */
function insertInFieldOrder(entries: Entry[], fresh: Entry): void {
  let lastSame = -1;
  let firstHigher = -1;
  entries.forEach((e, i) => {
    if (e.field === fresh.field) lastSame = i;
    else if (e.field > fresh.field && firstHigher < 0) firstHigher = i;
  });
  const at = lastSame >= 0 ? lastSame + 1 : firstHigher >= 0 ? firstHigher : entries.length;
  entries.splice(at, 0, fresh);
}

/** A `google.protobuf.Timestamp` for `date` (millisecond precision, as JavaScript dates have). */
export function encodeTimestamp(date: Date): Uint8Array {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms - seconds * 1000) * 1_000_000;
  return TimestampMessage.encode(TimestampMessage.fromObject({ seconds: BigInt(seconds), nanos })).finish();
}
