import { DefinitionError } from '../errors.js';
import { FeastType } from './feast-type.js';

/** Options of {@link Field}. */
export interface FieldOptions {
  name: string;
  dtype: FeastType;
  description?: string;
  tags?: Record<string, string>;
}

/** Serialized form of a {@link Field}. */
export interface FieldJson {
  name: string;
  dtype: string;
  description?: string;
  tags?: Record<string, string>;
}

/** A named, typed column of a feature view's schema. */
export class Field {
  readonly name: string;
  readonly dtype: FeastType;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;

  constructor(options: FieldOptions) {
    if (!options || typeof options.name !== 'string' || options.name.length === 0) {
      throw new DefinitionError('A Field needs a non-empty name: new Field({ name: "conv_rate", dtype: FeastType.Float32 }).');
    }
    if (!options.dtype || FeastType.fromName(options.dtype.name) === undefined) {
      throw new DefinitionError(`Field "${options.name}" needs a dtype from FeastType, such as FeastType.Float32.`);
    }
    this.name = options.name;
    this.dtype = options.dtype;
    this.description = options.description ?? '';
    this.tags = Object.freeze({ ...(options.tags ?? {}) });
  }

  toJSON(): FieldJson {
    const out: FieldJson = { name: this.name, dtype: this.dtype.name };
    if (this.description) out.description = this.description;
    if (Object.keys(this.tags).length > 0) out.tags = { ...this.tags };
    return out;
  }

  static fromJSON(json: FieldJson): Field {
    const dtype = FeastType.fromName(json.dtype);
    if (!dtype) throw new DefinitionError(`Field "${json.name}" has unknown dtype "${json.dtype}".`);
    return new Field({ ...json, dtype });
  }
}
