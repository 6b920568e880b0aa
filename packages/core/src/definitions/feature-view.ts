import { DefinitionError } from '../errors.js';
import { Entity, type EntityJson } from './entity.js';
import { Field, type FieldJson } from './field.js';

/** Options of {@link FeatureView}, as in Feast's Python `FeatureView(...)`. */
export interface FeatureViewOptions {
  /** Unique name within the project; with the project it names the online table. */
  name: string;
  /** Entities whose join keys identify rows; empty for an entityless view. */
  entities?: Entity[];
  /** Features (and optionally the entity columns) with their types. */
  schema: Field[];
  /** Time to live in seconds; 0 or omitted means forever. */
  ttl?: number;
  /** Name of the event timestamp column in written rows; default `event_timestamp`. */
  timestampField?: string;
  /** Whether the view is served online; default true. */
  online?: boolean;
  description?: string;
  tags?: Record<string, string>;
  /** Who owns it (Feast's `owner`). */
  owner?: string;
  /**
   * `batch` (default): a Feast `FeatureView`. `stream`: a Feast `StreamFeatureView`, stored in the
   * registry's stream views and served the same way.
   */
  kind?: FeatureViewKind;
  /** Feast's `current_version_number` (registry versioning); 0 when the view is not versioned. */
  currentVersionNumber?: number;
}

/** Which list of Feast's registry a view belongs to. */
export type FeatureViewKind = 'batch' | 'stream';

/** Serialized form of a {@link FeatureView}. */
export interface FeatureViewJson {
  name: string;
  entities: EntityJson[];
  schema: FieldJson[];
  ttl: number;
  timestampField: string;
  online: boolean;
  description?: string;
  tags?: Record<string, string>;
  owner?: string;
  kind?: FeatureViewKind;
  currentVersionNumber?: number;
}

/** Join key Feast uses for entityless feature views. */
export const DUMMY_ENTITY_ID = '__dummy_id';
/** Join key value Feast uses for entityless feature views. */
export const DUMMY_ENTITY_VAL = '';

/** A group of features about the same entities, stored as one online table. */
export class FeatureView {
  readonly name: string;
  readonly entities: readonly Entity[];
  readonly schema: readonly Field[];
  readonly ttl: number;
  readonly timestampField: string;
  readonly online: boolean;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly owner: string;
  readonly kind: FeatureViewKind;
  readonly currentVersionNumber: number;
  readonly #joinKeys: readonly string[];
  readonly #features: readonly Field[];

  constructor(options: FeatureViewOptions) {
    if (!options || typeof options.name !== 'string' || options.name.length === 0) {
      throw new DefinitionError('A FeatureView needs a non-empty name.');
    }
    const name = options.name;
    if (!Array.isArray(options.schema)) throw new DefinitionError(`FeatureView "${name}" needs a schema: an array of Field.`);
    const entities = options.entities ?? [];
    for (const e of entities) {
      if (!(e instanceof Entity)) throw new DefinitionError(`FeatureView "${name}": entities must be Entity instances.`);
    }
    const seen = new Set<string>();
    for (const f of options.schema) {
      if (!(f instanceof Field)) throw new DefinitionError(`FeatureView "${name}": schema must contain Field instances.`);
      if (seen.has(f.name)) throw new DefinitionError(`FeatureView "${name}" has two fields named "${f.name}".`);
      seen.add(f.name);
    }
    const ttl = options.ttl ?? 0;
    if (!Number.isFinite(ttl) || ttl < 0) throw new DefinitionError(`FeatureView "${name}": ttl must be a number of seconds >= 0, got ${ttl}.`);
    this.name = name;
    this.entities = Object.freeze([...entities]);
    this.schema = Object.freeze([...options.schema]);
    // Both derive from frozen arrays: computed once, handed out frozen (the serving path reads them per call).
    this.#joinKeys = Object.freeze(this.entities.map((e) => e.joinKey));
    const keys = new Set(this.#joinKeys);
    this.#features = Object.freeze(this.schema.filter((f) => !keys.has(f.name)));
    this.ttl = ttl;
    this.timestampField = options.timestampField ?? 'event_timestamp';
    this.online = options.online ?? true;
    this.description = options.description ?? '';
    this.tags = Object.freeze({ ...(options.tags ?? {}) });
    this.owner = options.owner ?? '';
    const kind = options.kind ?? 'batch';
    if (kind !== 'batch' && kind !== 'stream') throw new DefinitionError(`FeatureView "${name}": kind must be "batch" or "stream", got ${JSON.stringify(kind)}.`);
    this.kind = kind;
    const version = options.currentVersionNumber ?? 0;
    if (!Number.isInteger(version) || version < 0) {
      throw new DefinitionError(`FeatureView "${name}": currentVersionNumber must be an integer >= 0, got ${version}.`);
    }
    this.currentVersionNumber = version;
    if (this.features.length === 0) throw new DefinitionError(`FeatureView "${name}" has no features: its schema lists only join keys.`);
  }

  /** Join keys of the view's entities, in declaration order (empty for an entityless view). */
  get joinKeys(): readonly string[] {
    return this.#joinKeys;
  }

  /** True when the view has no entities (Feast keys its rows by a dummy entity). */
  get isEntityless(): boolean {
    return this.entities.length === 0;
  }

  /** The schema's fields that are features (not join keys), in schema order. */
  get features(): readonly Field[] {
    return this.#features;
  }

  toJSON(): FeatureViewJson {
    const out: FeatureViewJson = {
      name: this.name,
      entities: this.entities.map((e) => e.toJSON()),
      schema: this.schema.map((f) => f.toJSON()),
      ttl: this.ttl,
      timestampField: this.timestampField,
      online: this.online,
    };
    if (this.description) out.description = this.description;
    if (Object.keys(this.tags).length > 0) out.tags = { ...this.tags };
    if (this.owner) out.owner = this.owner;
    if (this.kind !== 'batch') out.kind = this.kind;
    if (this.currentVersionNumber) out.currentVersionNumber = this.currentVersionNumber;
    return out;
  }

  static fromJSON(json: FeatureViewJson): FeatureView {
    return new FeatureView({
      ...json,
      entities: json.entities.map((e) => Entity.fromJSON(e)),
      schema: json.schema.map((f) => Field.fromJSON(f)),
    });
  }
}
