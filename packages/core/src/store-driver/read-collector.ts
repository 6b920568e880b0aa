import type { FeatureView } from '../definitions/feature-view.js';
import { OnlineStoreError, ValueConversionError } from '../errors.js';
import type { OnlineReadResult } from '../online-store.js';
import { decodeValueIn, ValueProto } from '../proto/value.js';
import type { DriverSite, FetchSink } from './driver.js';
import { setOwnProperty } from '../own-property.js';

/** What one distinct key's rows add up to. */
interface Found {
  /** Latest event time, epoch ms; NaN while no row had one. */
  eventMs: number;
  features: Record<string, ValueProto>;
  handedOut: boolean;
}

/**
 * Collects the rows a driver fetches ({@link FetchSink}) and checks each:
 * a key index the read asked for, a string feature name, bytes that decode as
 * `feast.types.Value`, a finite event time. Rows of features not asked for are
 * dropped. {@link results} aligns them with the input keys.
 */
export class ReadCollector implements FetchSink {
  readonly #found: Array<Found | undefined>;
  readonly #wanted: ReadonlySet<string> | undefined;
  readonly #view: FeatureView;
  readonly #site: DriverSite;
  readonly #storeName: string;

  constructor(keyCount: number, wanted: ReadonlySet<string> | undefined, view: FeatureView, site: DriverSite, storeName: string) {
    this.#found = new Array<Found | undefined>(keyCount);
    this.#wanted = wanted;
    this.#view = view;
    this.#site = site;
    this.#storeName = storeName;
  }

  row(key: number, feature: string, value: Uint8Array | null, eventMs: number | null): void {
    if (!this.#accepts(key, feature, eventMs)) return;
    let decoded: ValueProto;
    try {
      decoded = value === null || value.byteLength === 0 ? {} : ValueProto.decode(value);
    } catch (err) {
      throw this.#undecodable(feature, err);
    }
    this.#add(key, feature, decoded, eventMs);
  }

  rowIn(key: number, feature: string, bytes: Uint8Array, start: number, end: number, eventMs: number | null): void {
    if (!(bytes instanceof Uint8Array) || !(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= bytes.byteLength)) {
      const size = bytes instanceof Uint8Array ? `${bytes.byteLength} bytes` : 'no bytes';
      throw this.#bad(`handed the value of feature "${String(feature)}" as the range [${String(start)}, ${String(end)}) of ${size}`);
    }
    if (!this.#accepts(key, feature, eventMs)) return;
    let decoded: ValueProto;
    try {
      decoded = start === end ? {} : decodeValueIn(bytes, start, end); // the range was checked above
    } catch (err) {
      throw this.#undecodable(feature, err);
    }
    this.#add(key, feature, decoded, eventMs);
  }

  /** Checks a row's key, name and event time; false for a feature the read did not ask for. */
  #accepts(key: number, feature: string, eventMs: number | null): boolean {
    if (!(key >= 0 && key < this.#found.length) || !Number.isInteger(key) || typeof feature !== 'string') {
      throw this.#bad(`returned a row for ${typeof feature === 'string' ? `feature "${feature}" of ` : ''}entity key #${String(key)}, but the read asked for keys #0 to #${this.#found.length - 1}`);
    }
    if (this.#wanted !== undefined && !this.#wanted.has(feature)) return false;
    if (eventMs !== null && (typeof eventMs !== 'number' || !Number.isFinite(eventMs))) {
      throw this.#bad(`returned the event time ${String(eventMs)} for feature "${feature}", not epoch milliseconds`);
    }
    return true;
  }

  #add(key: number, feature: string, decoded: ValueProto, eventMs: number | null): void {
    let found = this.#found[key];
    if (found === undefined) this.#found[key] = found = { eventMs: Number.NaN, features: {}, handedOut: false };
    setOwnProperty(found.features, feature, decoded);
    if (eventMs !== null && !(eventMs <= found.eventMs)) found.eventMs = eventMs;
  }

  #undecodable(feature: string, err: unknown): ValueConversionError {
    const table = this.#site.table === undefined ? '' : ` in table "${this.#site.table}"`;
    return new ValueConversionError(`Feature "${feature}"${table} of feature view "${this.#view.name}": ${(err as Error).message}`, err);
  }

  /** The results for input keys whose distinct-key indexes are `positions`: a key given twice gets its own copy of the features. */
  results(positions: Int32Array): OnlineReadResult[] {
    const out = new Array<OnlineReadResult>(positions.length);
    for (let i = 0; i < positions.length; i++) {
      const found = this.#found[positions[i]!];
      if (found === undefined) {
        out[i] = [null, null];
        continue;
      }
      out[i] = [Number.isNaN(found.eventMs) ? null : new Date(found.eventMs), found.handedOut ? { ...found.features } : found.features];
      found.handedOut = true;
    }
    return out;
  }

  #bad(what: string): OnlineStoreError {
    return new OnlineStoreError('query_failed', `${this.#storeName} ${what} (feature view "${this.#view.name}"). This is a bug in the store's driver.`);
  }
}
