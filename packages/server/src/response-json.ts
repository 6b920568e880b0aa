import { ValueType, type FeastType, type FeatureService, type FeatureStore, type OnlineResponse, type OnlineResponseJson } from '@feast-ts/core';

/**
 * The body of `/get-online-features` as Feast's server writes it. Core's `OnlineResponse.toJSON()`
 * gives an int64 beyond 2^53 as decimal text (a JavaScript number would round it); Feast's server
 * writes every int64 as a JSON number, exact however large (Python ints). So here the int64
 * columns' decimal texts are written back as bare number literals, digit for digit.
 */

const MARK = `\u0000i64:${Math.random().toString(36).slice(2)}:`;
const MARKED = new RegExp(`"${JSON.stringify(MARK).slice(1, -1).replace(/\\/g, '\\\\')}(-?\\d+)"`, 'g');
const DIGITS = /^-?\d+$/;

const isInt64Type = (t: FeastType): boolean =>
  t.kind === 'primitive' ? t.name === 'Int64' || t.name === 'UnixTimestamp' : t.kind === 'array' || t.kind === 'set' ? isInt64Type(t.base) : false;

const hasText = (values: readonly unknown[]): boolean => {
  for (const v of values) {
    if (typeof v === 'string') return true;
    if (Array.isArray(v) && v.some((el) => typeof el === 'string')) return true;
  }
  return false;
};

/** The response's column names whose values are int64 (join keys of INT64 entities, Int64 and UnixTimestamp features and lists of them). */
async function int64Columns(store: FeatureStore, features: string[] | FeatureService): Promise<Set<string>> {
  const views = Array.isArray(features)
    ? [...new Set(features.map((f) => f.slice(0, f.indexOf(':'))))].map((name) => ({ name, alias: undefined as string | undefined, joinKeyMap: {} as Readonly<Record<string, string>> }))
    : features.projections.map((p) => ({ name: p.featureViewName, alias: p.alias, joinKeyMap: p.joinKeyMap }));
  const out = new Set<string>();
  for (const { name, alias, joinKeyMap } of views) {
    const view = await store.getFeatureView(name);
    for (const e of view.entities) {
      if (e.valueType === ValueType.INT64 || e.valueType === ValueType.UNIX_TIMESTAMP) out.add(joinKeyMap[e.joinKey] ?? e.joinKey);
    }
    for (const f of view.features) {
      if (!isInt64Type(f.dtype)) continue;
      out.add(f.name);
      out.add(`${alias ?? view.name}__${f.name}`);
    }
  }
  return out;
}

const mark = (v: unknown): unknown => (typeof v === 'string' && DIGITS.test(v) ? MARK + v : Array.isArray(v) ? v.map(mark) : v);

/** `response` as Feast's JSON text, int64s as exact number literals. */
export async function onlineResponseText(response: OnlineResponse, store: FeatureStore, features: string[] | FeatureService): Promise<string> {
  const json: OnlineResponseJson = response.toJSON();
  const textColumns = json.results.map((r, i) => (hasText(r.values) ? i : -1)).filter((i) => i >= 0);
  if (textColumns.length === 0) return JSON.stringify(json);
  const int64 = await int64Columns(store, features);
  const names = json.metadata.feature_names;
  let marked = false;
  for (const i of textColumns) {
    if (!int64.has(names[i]!)) continue;
    const r = json.results[i]!;
    json.results[i] = { ...r, values: r.values.map(mark) as typeof r.values };
    marked = true;
  }
  const text = JSON.stringify(json);
  return marked ? text.replace(MARKED, '$1') : text;
}
