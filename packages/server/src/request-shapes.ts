import { invalidRequest, FeatureServerRequestError } from './errors.js';

/** Columns of values, Feast's JSON form of a DataFrame or of entity rows: `{ "driver_id": [1001, 1002] }`. */
export type JsonColumns = Record<string, unknown[]>;

/** A `POST /get-online-features` body, read. */
export interface OnlineFeaturesRequestBody {
  /** `"view:feature"` references, when no feature service is named. */
  features?: string[];
  /** The feature service to read (Feast uses it when given, whatever `features` says). */
  featureService?: string;
  /** Columnar entity rows. */
  entities: JsonColumns;
  /** Name feature columns `<view>__<feature>`. */
  fullFeatureNames: boolean;
}

/** A `POST /write-to-online-store` body, read. */
export interface WriteRequestBody {
  featureViewName: string;
  df: JsonColumns;
}

/** A `POST /push` body, read (`to` is always `online`: other modes are refused). */
export interface PushRequestBody {
  pushSourceName: string;
  df: JsonColumns;
}

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v === 'string' ? `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}` : `${typeof v} ${String(v)}`;

function bodyObject(body: unknown, example: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest(`The request body must be a JSON object, like ${example}; got ${body === undefined ? 'no body' : describe(body)}.`);
  }
  return body as Record<string, unknown>;
}

function nonEmptyString(obj: Record<string, unknown>, key: string, example: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v.length === 0) {
    throw invalidRequest(`"${key}" must be a non-empty string, like ${example}; got ${v === undefined ? 'nothing' : describe(v)}.`);
  }
  return v;
}

function optionalBoolean(obj: Record<string, unknown>, key: string): boolean {
  const v = obj[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw invalidRequest(`"${key}" must be true or false; got ${describe(v)}.`);
  return v;
}

/** Reads `{ "col": [...], ... }`: every value an array. (Equal lengths are checked where the columns are used.) */
function columns(obj: Record<string, unknown>, key: string, example: string): JsonColumns {
  const v = obj[key];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw invalidRequest(`"${key}" must be an object of columns, like ${example}; got ${v === undefined ? 'nothing' : describe(v)}.`);
  }
  const cols = v as Record<string, unknown>;
  for (const name of Object.keys(cols)) {
    if (!Array.isArray(cols[name])) {
      throw invalidRequest(`"${key}.${name}" must be an array of values (one per row), like ${example}; got ${describe(cols[name])}.`);
    }
  }
  return cols as JsonColumns;
}

const ONLINE_EXAMPLE = '{"features": ["driver_hourly_stats:conv_rate"], "entities": {"driver_id": [1001, 1002]}}';

/** Reads a `/get-online-features` body. @throws FeatureServerRequestError (422) naming the faulty field */
export function readOnlineFeaturesBody(body: unknown): OnlineFeaturesRequestBody {
  const obj = bodyObject(body, ONLINE_EXAMPLE);
  const entities = columns(obj, 'entities', '{"driver_id": [1001, 1002]}');
  const fullFeatureNames = optionalBoolean(obj, 'full_feature_names');
  if (obj.feature_service !== undefined && obj.feature_service !== null) {
    return { featureService: nonEmptyString(obj, 'feature_service', '"driver_activity_v1"'), entities, fullFeatureNames };
  }
  const features = obj.features;
  if (features === undefined || features === null) {
    throw invalidRequest(`The body names no features: give "features" (a list of "view:feature" references) or "feature_service", like ${ONLINE_EXAMPLE}.`);
  }
  if (!Array.isArray(features) || features.length === 0) {
    throw invalidRequest(`"features" must be a non-empty list of "view:feature" references; got ${describe(features)}.`);
  }
  features.forEach((f, i) => {
    if (typeof f !== 'string') throw invalidRequest(`"features[${i}]" must be a "view:feature" reference (a string); got ${describe(f)}.`);
    if (f.indexOf(':') <= 0 || f.endsWith(':')) {
      throw invalidRequest(`"features[${i}]" must be a "view:feature" reference, like "driver_hourly_stats:conv_rate"; got ${describe(f)}.`);
    }
  });
  return { features: features as string[], entities, fullFeatureNames };
}

const DF_EXAMPLE = '{"driver_id": [1001], "conv_rate": [0.5], "event_timestamp": ["2026-01-01T00:00:00Z"]}';

/** Reads a `/write-to-online-store` body. @throws FeatureServerRequestError (422) */
export function readWriteBody(body: unknown): WriteRequestBody {
  const obj = bodyObject(body, `{"feature_view_name": "driver_hourly_stats", "df": ${DF_EXAMPLE}}`);
  return { featureViewName: nonEmptyString(obj, 'feature_view_name', '"driver_hourly_stats"'), df: columns(obj, 'df', DF_EXAMPLE) };
}

/** Feast's push modes. */
const PUSH_MODES = ['online', 'offline', 'online_and_offline'];

/**
 * Reads a `/push` body. `to` defaults to `online`, as in Feast; `offline` and `online_and_offline`
 * are refused (feast-ts has no offline store), as is anything else.
 * @throws FeatureServerRequestError (422)
 */
export function readPushBody(body: unknown): PushRequestBody {
  const obj = bodyObject(body, `{"push_source_name": "driver_stats_push", "df": ${DF_EXAMPLE}, "to": "online"}`);
  const pushSourceName = nonEmptyString(obj, 'push_source_name', '"driver_stats_push"');
  const to = obj.to ?? 'online';
  if (to !== 'online') {
    if (typeof to === 'string' && PUSH_MODES.includes(to)) {
      throw new FeatureServerRequestError(
        422,
        'unsupported_push_mode',
        `"to": "${to}" writes to the offline store, which feast-ts does not have: push with "to": "online", and write offline data with Python Feast.`,
      );
    }
    throw invalidRequest(`"to" must be one of "online", "offline", "online_and_offline" (feast-ts serves "online"); got ${describe(to)}.`);
  }
  return { pushSourceName, df: columns(obj, 'df', DF_EXAMPLE) };
}
