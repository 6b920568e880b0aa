import type { OnlineReadResult } from '../online-store.js';
import type { ValueProto } from '../proto/value.js';
import { fromValueProto, type FeatureValue } from './value-to-js.js';
import { valueToJson, type JsonFeatureValue } from './value-to-json.js';
import { formatUtc } from './zoned-time.js';
import { setOwnProperty as setColumn } from '../own-property.js';

/**
 * Feast's `feast.serving.FieldStatus`, the status of each value of a response.
 * Numbers as in Feast's ServingService.proto.
 */
export const FieldStatus = {
  INVALID: 0,
  PRESENT: 1,
  NULL_VALUE: 2,
  NOT_FOUND: 3,
  OUTSIDE_MAX_AGE: 4,
} as const;

/** The name of a {@link FieldStatus}, as Feast's HTTP server writes it. */
export type FieldStatusName = keyof typeof FieldStatus;

const STATUS_NAMES: readonly FieldStatusName[] = ['INVALID', 'PRESENT', 'NULL_VALUE', 'NOT_FOUND', 'OUTSIDE_MAX_AGE'];

/** A join-key column of a response: the coerced values of the entity rows. */
export interface OnlineResponseKeyColumn {
  /** The join key, such as `driver_id`. */
  name: string;
  /** One value per entity row. */
  values: readonly ValueProto[];
}

/** What one view's `onlineRead` returned, and which of its features the response shows under which names. */
export interface OnlineResponseViewResult {
  /** The view's name (for messages). */
  viewName: string;
  /** The view's ttl in seconds; 0 never expires. */
  ttlSeconds: number;
  /** The features read, in response order. */
  features: readonly string[];
  /** Their response column names (`conv_rate`, or `driver_hourly_stats__conv_rate`), aligned with `features`. */
  columnNames: readonly string[];
  /** `onlineRead`'s results, one per entity row. */
  results: readonly OnlineReadResult[];
}

/** How an {@link OnlineResponse} is built. */
export interface OnlineResponseInit {
  /** Number of entity rows. */
  rowCount: number;
  /** Join-key columns, first in the response. */
  keyColumns: readonly OnlineResponseKeyColumn[];
  /** Feature columns, by view, in response order. */
  views: readonly OnlineResponseViewResult[];
  /** The time ttl is judged at, epoch milliseconds (default: when the response is built). */
  now?: number;
  /** Replace values that are OUTSIDE_MAX_AGE by null (their status stays OUTSIDE_MAX_AGE). Default false: keep them, as Feast's Go server does. */
  dropOutsideMaxAge?: boolean;
}

/** Options of {@link OnlineResponse.toDict}. */
export interface ToDictOptions {
  /** Add a `<column>__ts` column after each column: event time in epoch seconds (0 for join keys and missing rows), as Feast. */
  includeEventTimestamps?: boolean;
}

/** One column of Feast's HTTP response (`GetOnlineFeaturesResponse.FeatureVector`). */
export interface OnlineResponseJsonResult {
  values: JsonFeatureValue[];
  statuses: FieldStatusName[];
  event_timestamps: string[];
}

/** Feast's `/get-online-features` response body. */
export interface OnlineResponseJson {
  metadata: { feature_names: string[] };
  results: OnlineResponseJsonResult[];
}

/** One view's part of {@link OnlineResponseColumns}: what `onlineRead` returned, with each row's state. */
export interface OnlineResponseViewColumns extends OnlineResponseViewResult {
  /**
   * Per entity row: 0 when the store has no row, else {@link FieldStatus}.PRESENT or
   * OUTSIDE_MAX_AGE (the row's age against the view's ttl). A value's own status also depends on
   * the value: see {@link OnlineResponseColumns.statusOf}. Read only.
   */
  readonly rowStates: readonly number[];
  /** Per entity row: the row's event time in epoch milliseconds (0 where there is no row). Read only. */
  readonly eventMs: readonly number[];
}

/**
 * The columns an {@link OnlineResponse} holds, unconverted, for writers of Feast's wire formats
 * (such as the HTTP feature server's JSON writer) that write straight from the ValueProtos.
 * Nothing is copied: do not modify.
 */
export interface OnlineResponseColumns {
  /** Number of entity rows. */
  readonly rowCount: number;
  /** Join-key columns, first in the response; their values are PRESENT with event time 0. */
  readonly keyColumns: readonly OnlineResponseKeyColumn[];
  /** Feature columns, by view, in response order. */
  readonly views: readonly OnlineResponseViewColumns[];
  /** True when values OUTSIDE_MAX_AGE are to be written as null (their status stays OUTSIDE_MAX_AGE). */
  readonly dropOutsideMaxAge: boolean;
  /** The {@link FieldStatus} of one value, from its row's state (`rowStates[i]`) and the value (`results[i][1]?.[feature]`). */
  statusOf(rowState: number, value: ValueProto | undefined): number;
}

const EPOCH_ISO = '1970-01-01T00:00:00Z';

/** Per view: each row's state (0 no row, 1 fresh, 4 outside max age) and event time. */
interface ViewRows {
  state: number[];
  ms: number[];
}

/**
 * The result of {@link FeatureStore.getOnlineFeatures}: Feast's
 * `OnlineResponse`. Columns are the join keys, then the requested features,
 * each aligned with the entity rows. Conversions run only when asked for.
 *
 * Statuses, per value (the rule of Feast's Go feature server):
 * - `PRESENT`: the row exists, the value is set, and it is not older than the view's ttl;
 * - `NOT_FOUND`: no row for the entity, or the row holds no value for the feature
 *   (a stored null is NOT_FOUND, as Feast's Go server reports it);
 * - `OUTSIDE_MAX_AGE`: `now - event time > ttl`, in whole seconds (exactly ttl is
 *   still PRESENT; ttl 0 never expires). The value is kept unless `dropOutsideMaxAge`.
 *
 * Join-key columns are PRESENT with event time 0, as Feast's servers write them.
 */
export class OnlineResponse {
  /** Number of entity rows. */
  readonly rowCount: number;
  private readonly keyColumns: readonly OnlineResponseKeyColumn[];
  private readonly views: readonly OnlineResponseViewResult[];
  private readonly now: number;
  private readonly dropOutsideMaxAge: boolean;
  private rows: ViewRows[] | undefined;

  constructor(init: OnlineResponseInit) {
    this.rowCount = init.rowCount;
    this.keyColumns = init.keyColumns;
    this.views = init.views;
    this.now = init.now ?? Date.now();
    this.dropOutsideMaxAge = init.dropOutsideMaxAge ?? false;
  }

  /** Column names in order: join keys, then features (Feast's `metadata.feature_names`). */
  get featureNames(): string[] {
    const names = this.keyColumns.map((c) => c.name);
    for (const v of this.views) names.push(...v.columnNames);
    return names;
  }

  private viewRows(): ViewRows[] {
    if (this.rows) return this.rows;
    const nowSeconds = Math.floor(this.now / 1000);
    this.rows = this.views.map((v) => {
      const n = v.results.length;
      // Plain arrays: most responses hold one or a few entities, where typed arrays cost more to make.
      const state = new Array<number>(n).fill(0);
      const ms = new Array<number>(n).fill(0);
      for (let i = 0; i < n; i++) {
        const [ts, values] = v.results[i]!;
        if (values === null || ts === null) continue;
        const t = ts.getTime();
        ms[i] = t;
        state[i] = v.ttlSeconds > 0 && nowSeconds - Math.floor(t / 1000) > v.ttlSeconds ? FieldStatus.OUTSIDE_MAX_AGE : FieldStatus.PRESENT;
      }
      return { state, ms };
    });
    return this.rows;
  }

  /** Status of one cell: the row's state, unless the value is missing or null. */
  private static cellStatus(state: number, value: ValueProto | undefined): number {
    if (state === 0 || value === undefined || value === null) return FieldStatus.NOT_FOUND;
    for (const k in value) {
      if (k !== 'nullVal' && (value as Record<string, unknown>)[k] !== undefined && (value as Record<string, unknown>)[k] !== null) return state;
    }
    return FieldStatus.NOT_FOUND;
  }

  /** The response's columns as read, unconverted (see {@link OnlineResponseColumns}); for writers of Feast's wire formats. */
  columns(): OnlineResponseColumns {
    const rows = this.viewRows();
    return {
      rowCount: this.rowCount,
      keyColumns: this.keyColumns,
      // Built field by field: a spread of the caller's object costs more than the rest of this call.
      views: this.views.map((v, vi) => ({
        viewName: v.viewName,
        ttlSeconds: v.ttlSeconds,
        features: v.features,
        columnNames: v.columnNames,
        results: v.results,
        rowStates: rows[vi]!.state,
        eventMs: rows[vi]!.ms,
      })),
      dropOutsideMaxAge: this.dropOutsideMaxAge,
      statusOf: OnlineResponse.cellStatus,
    };
  }

  /** The status of every value, by column (join keys are PRESENT). */
  statuses(): Record<string, FieldStatusName[]> {
    const out: Record<string, FieldStatusName[]> = {};
    for (const c of this.keyColumns) setColumn(out, c.name, new Array<FieldStatusName>(this.rowCount).fill('PRESENT'));
    const rows = this.viewRows();
    this.views.forEach((v, vi) => {
      const { state } = rows[vi]!;
      v.features.forEach((f, fi) => {
        const col = new Array<FieldStatusName>(this.rowCount);
        for (let i = 0; i < this.rowCount; i++) col[i] = STATUS_NAMES[OnlineResponse.cellStatus(state[i]!, v.results[i]![1]?.[f])]!;
        setColumn(out, v.columnNames[fi]!, col);
      });
    });
    return out;
  }

  /**
   * Feast's `to_dict()`: `{ driver_id: [1001n], conv_rate: [0.5] }`, join keys
   * first, null where a value is NOT_FOUND (or OUTSIDE_MAX_AGE with
   * `dropOutsideMaxAge`). Values are the JavaScript types of {@link FeatureValue}.
   */
  toDict(options?: ToDictOptions): Record<string, FeatureValue[]> {
    const withTs = options?.includeEventTimestamps === true;
    const n = this.rowCount;
    const out: Record<string, FeatureValue[]> = {};
    for (const c of this.keyColumns) {
      const col = new Array<FeatureValue>(n);
      for (let i = 0; i < n; i++) col[i] = fromValueProto(c.values[i]);
      setColumn(out, c.name, col);
      if (withTs) setColumn(out, `${c.name}__ts`, new Array<FeatureValue>(n).fill(0));
    }
    const rows = this.viewRows();
    const drop = this.dropOutsideMaxAge;
    for (let vi = 0; vi < this.views.length; vi++) {
      const v = this.views[vi]!;
      const { state, ms } = rows[vi]!;
      let seconds: FeatureValue[] | undefined;
      if (withTs) {
        seconds = new Array<FeatureValue>(n);
        for (let i = 0; i < n; i++) seconds[i] = state[i] === 0 ? 0 : Math.floor(ms[i]! / 1000);
      }
      const features = v.features;
      const fc = features.length;
      if (n === 1) {
        // One entity, the most common serving shape: each column is a one-value array literal.
        const values = drop && state[0] === FieldStatus.OUTSIDE_MAX_AGE ? null : v.results[0]![1];
        for (let fi = 0; fi < fc; fi++) {
          const name = v.columnNames[fi]!;
          setColumn(out, name, [values === null ? null : fromValueProto(values[features[fi]!])]);
          if (seconds) setColumn(out, `${name}__ts`, seconds.slice());
        }
        continue;
      }
      // Row by row: each row's record is looked up for all its features while it is at hand.
      const cols = new Array<FeatureValue[]>(fc);
      for (let fi = 0; fi < fc; fi++) cols[fi] = new Array<FeatureValue>(n);
      for (let i = 0; i < n; i++) {
        const values = v.results[i]![1];
        if (values === null || (drop && state[i] === FieldStatus.OUTSIDE_MAX_AGE)) {
          for (let fi = 0; fi < fc; fi++) cols[fi]![i] = null;
        } else {
          for (let fi = 0; fi < fc; fi++) cols[fi]![i] = fromValueProto(values[features[fi]!]);
        }
      }
      for (let fi = 0; fi < fc; fi++) {
        const name = v.columnNames[fi]!;
        setColumn(out, name, cols[fi]!);
        if (seconds) setColumn(out, `${name}__ts`, seconds.slice());
      }
    }
    return out;
  }

  /**
   * Feast's HTTP response, so `JSON.stringify(response)` writes what
   * `POST /get-online-features` answers: `{ metadata: { feature_names },
   * results: [{ values, statuses, event_timestamps }] }`, one result per
   * column. Values as {@link valueToJson} writes them; event timestamps RFC 3339
   * UTC (`2026-01-01T00:00:00Z`, milliseconds when there are any), epoch 0 for
   * join keys and missing rows.
   */
  toJSON(): OnlineResponseJson {
    const n = this.rowCount;
    const results: OnlineResponseJsonResult[] = [];
    for (const c of this.keyColumns) {
      const values = new Array<JsonFeatureValue>(n);
      for (let i = 0; i < n; i++) values[i] = valueToJson(c.values[i]);
      results.push({ values, statuses: new Array<FieldStatusName>(n).fill('PRESENT'), event_timestamps: new Array<string>(n).fill(EPOCH_ISO) });
    }
    const rows = this.viewRows();
    const drop = this.dropOutsideMaxAge;
    this.views.forEach((v, vi) => {
      const { state, ms } = rows[vi]!;
      const iso = new Array<string>(n);
      for (let i = 0; i < n; i++) iso[i] = state[i] === 0 ? EPOCH_ISO : formatUtc(ms[i]!);
      for (const f of v.features) {
        const values = new Array<JsonFeatureValue>(n);
        const statuses = new Array<FieldStatusName>(n);
        for (let i = 0; i < n; i++) {
          const row = v.results[i]![1];
          const value = row?.[f];
          const status = OnlineResponse.cellStatus(state[i]!, value);
          statuses[i] = STATUS_NAMES[status]!;
          values[i] = status === FieldStatus.NOT_FOUND || (drop && status === FieldStatus.OUTSIDE_MAX_AGE) ? null : valueToJson(value);
        }
        results.push({ values, statuses, event_timestamps: iso.slice() });
      }
    });
    return { metadata: { feature_names: this.featureNames }, results };
  }
}
