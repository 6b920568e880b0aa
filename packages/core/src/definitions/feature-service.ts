import { DefinitionError } from '../errors.js';
import { FeatureView } from './feature-view.js';

/** A feature column of a projection: its name and `feast.types.ValueType` number. */
export interface FeatureColumn {
  readonly name: string;
  readonly valueType: number;
}

/** Options of {@link FeatureViewProjection.of}: which features of a view a service takes, and how. */
export interface ProjectionOptions {
  /** The view projected. */
  view: FeatureView;
  /** The features taken; default all of the view's features. */
  features?: string[];
  /** Feast's `feature_view_name_alias`: the name the service's columns use instead of the view's. */
  alias?: string;
  /** Feast's `join_key_map`: view join key -> the entity-row column holding its value. */
  joinKeyMap?: Record<string, string>;
}

/** Fields of a projection as stored in the registry (Feast's `FeatureViewProjection`). */
export interface FeatureViewProjectionFields {
  featureViewName: string;
  alias?: string;
  features: FeatureColumn[];
  joinKeyMap?: Record<string, string>;
}

/** The features a feature service takes from one view (Feast's `FeatureViewProjection`). */
export class FeatureViewProjection {
  readonly featureViewName: string;
  /** Feast's `feature_view_name_alias`, or `undefined`. */
  readonly alias: string | undefined;
  readonly features: readonly FeatureColumn[];
  readonly joinKeyMap: Readonly<Record<string, string>>;

  constructor(fields: FeatureViewProjectionFields) {
    if (!fields || typeof fields.featureViewName !== 'string' || fields.featureViewName.length === 0) {
      throw new DefinitionError('A feature view projection needs the name of its feature view.');
    }
    if (!Array.isArray(fields.features)) throw new DefinitionError(`The projection of "${fields.featureViewName}" needs a list of features.`);
    this.featureViewName = fields.featureViewName;
    this.alias = fields.alias ? fields.alias : undefined;
    this.features = Object.freeze(fields.features.map((f) => Object.freeze({ name: f.name, valueType: f.valueType })));
    this.joinKeyMap = Object.freeze({ ...(fields.joinKeyMap ?? {}) });
  }

  /** The projection of `options.view` (all its features unless `features` names a subset). */
  static of(options: ProjectionOptions): FeatureViewProjection {
    const { view } = options;
    if (!(view instanceof FeatureView)) throw new DefinitionError('A projection needs `view`: a FeatureView.');
    const all = view.features;
    let chosen = all;
    if (options.features !== undefined) {
      chosen = options.features.map((name) => {
        const f = all.find((x) => x.name === name);
        if (!f) throw new DefinitionError(`Feature view "${view.name}" has no feature "${name}". Its features: ${all.map((x) => x.name).join(', ')}.`);
        return f;
      });
    }
    const keys = new Set(view.joinKeys);
    for (const k of Object.keys(options.joinKeyMap ?? {})) {
      if (!keys.has(k)) {
        throw new DefinitionError(`joinKeyMap of the projection of "${view.name}" maps "${k}", which is not one of its join keys (${[...keys].join(', ') || 'none'}).`);
      }
    }
    return new FeatureViewProjection({
      featureViewName: view.name,
      alias: options.alias,
      features: chosen.map((f) => ({ name: f.name, valueType: f.dtype.valueType })),
      joinKeyMap: options.joinKeyMap,
    });
  }

  /** The name result columns use: the alias, else the view's name. */
  get nameToUse(): string {
    return this.alias ?? this.featureViewName;
  }

  /** The projected feature names, in order. */
  get featureNames(): string[] {
    return this.features.map((f) => f.name);
  }
}

/** Options of {@link FeatureService}, as in Feast's Python `FeatureService(...)`. */
export interface FeatureServiceOptions {
  /** Unique name within the project. */
  name: string;
  /** Whole views, or projections of them (a feature subset, an alias, a join key map). */
  features: Array<FeatureView | ProjectionOptions | FeatureViewProjection>;
  description?: string;
  tags?: Record<string, string>;
  owner?: string;
}

/** Serialized form of a {@link FeatureService}. */
export interface FeatureServiceJson {
  name: string;
  features: FeatureViewProjectionFields[];
  description?: string;
  tags?: Record<string, string>;
  owner?: string;
}

/** A named set of features from one or more views, served together (Feast's `FeatureService`). */
export class FeatureService {
  readonly name: string;
  readonly projections: readonly FeatureViewProjection[];
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly owner: string;

  constructor(options: FeatureServiceOptions) {
    if (!options || typeof options.name !== 'string' || options.name.length === 0) {
      throw new DefinitionError('A FeatureService needs a non-empty name.');
    }
    if (!Array.isArray(options.features) || options.features.length === 0) {
      throw new DefinitionError(`FeatureService "${options.name}" needs features: an array of FeatureView or { view, features }.`);
    }
    const projections = options.features.map((f) => {
      if (f instanceof FeatureViewProjection) return f;
      if (f instanceof FeatureView) return FeatureViewProjection.of({ view: f });
      if (f && typeof f === 'object' && 'view' in f) return FeatureViewProjection.of(f);
      throw new DefinitionError(`FeatureService "${options.name}": each of features must be a FeatureView or { view, features?, alias?, joinKeyMap? }.`);
    });
    const seen = new Set<string>();
    for (const p of projections) {
      if (seen.has(p.nameToUse)) {
        throw new DefinitionError(`FeatureService "${options.name}" takes "${p.nameToUse}" twice; give one of them an alias.`);
      }
      seen.add(p.nameToUse);
    }
    this.name = options.name;
    this.projections = Object.freeze(projections);
    this.description = options.description ?? '';
    this.tags = Object.freeze({ ...(options.tags ?? {}) });
    this.owner = options.owner ?? '';
  }

  /** A plain form (what the registry records of it, apart from Feast's metadata). */
  toJSON(): FeatureServiceJson {
    const out: FeatureServiceJson = {
      name: this.name,
      features: this.projections.map((p) => {
        const f: FeatureViewProjectionFields = { featureViewName: p.featureViewName, features: p.features.map((c) => ({ ...c })) };
        if (p.alias) f.alias = p.alias;
        if (Object.keys(p.joinKeyMap).length > 0) f.joinKeyMap = { ...p.joinKeyMap };
        return f;
      }),
    };
    if (this.description) out.description = this.description;
    if (Object.keys(this.tags).length > 0) out.tags = { ...this.tags };
    if (this.owner) out.owner = this.owner;
    return out;
  }

  /** Rebuilds a feature service from {@link FeatureService.toJSON}. */
  static fromJSON(json: FeatureServiceJson): FeatureService {
    return new FeatureService({ ...json, features: json.features.map((f) => new FeatureViewProjection(f)) });
  }
}
