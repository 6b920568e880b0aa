import { DefinitionError } from '../errors.js';
import { type ValueType, valueTypeName } from '../proto/value-type.js';

/** Options of {@link Entity}, as in Feast's Python `Entity(...)`. */
export interface EntityOptions {
  /** Unique name of the entity within the project. */
  name: string;
  /** The column that identifies it; Feast allows exactly one. Defaults to `[name]`. */
  joinKeys?: string[];
  /** Type of the join key's values: STRING, BYTES, INT32, INT64 or UNIX_TIMESTAMP. Inferred from the values when omitted. */
  valueType?: ValueType;
  description?: string;
  tags?: Record<string, string>;
  /** Who owns it (Feast's `owner`, often an email). */
  owner?: string;
}

/** Serialized form of an {@link Entity} in the registry. */
export interface EntityJson {
  name: string;
  joinKeys: string[];
  valueType?: number;
  description?: string;
  tags?: Record<string, string>;
  owner?: string;
}

const ENTITY_KEY_TYPES = new Set([1, 2, 3, 4, 8]);

/** Something features are about, such as a driver; its join key identifies rows. */
export class Entity {
  readonly name: string;
  readonly joinKeys: readonly string[];
  readonly valueType: ValueType | undefined;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly owner: string;

  constructor(options: EntityOptions) {
    if (!options || typeof options.name !== 'string' || options.name.length === 0) {
      throw new DefinitionError('An Entity needs a non-empty name: new Entity({ name: "driver", joinKeys: ["driver_id"] }).');
    }
    const joinKeys = options.joinKeys ?? [options.name];
    if (joinKeys.length !== 1 || typeof joinKeys[0] !== 'string' || joinKeys[0].length === 0) {
      throw new DefinitionError(`Entity "${options.name}" must have exactly one non-empty join key (as in Feast), got ${JSON.stringify(joinKeys)}.`);
    }
    if (options.valueType !== undefined && !ENTITY_KEY_TYPES.has(options.valueType)) {
      throw new DefinitionError(
        `Entity "${options.name}" has valueType ${valueTypeName(options.valueType) ?? options.valueType}; entity keys must be STRING, BYTES, INT32, INT64 or UNIX_TIMESTAMP.`,
      );
    }
    this.name = options.name;
    this.joinKeys = Object.freeze([...joinKeys]);
    this.valueType = options.valueType;
    this.description = options.description ?? '';
    this.tags = Object.freeze({ ...(options.tags ?? {}) });
    this.owner = options.owner ?? '';
  }

  /** The single join key. */
  get joinKey(): string {
    return this.joinKeys[0]!;
  }

  /** The registry form. */
  toJSON(): EntityJson {
    const out: EntityJson = { name: this.name, joinKeys: [...this.joinKeys] };
    if (this.valueType !== undefined) out.valueType = this.valueType;
    if (this.description) out.description = this.description;
    if (Object.keys(this.tags).length > 0) out.tags = { ...this.tags };
    if (this.owner) out.owner = this.owner;
    return out;
  }

  /** Rebuilds an entity from its registry form. */
  static fromJSON(json: EntityJson): Entity {
    return new Entity({ ...json, valueType: json.valueType as ValueType | undefined });
  }
}
