import type { DriverSite } from '../store-driver/driver.js';

/** What a SQL store was doing when its database failed, for the message of its `OnlineStoreError`. */
export interface StoreErrorContext {
  /** e.g. `read from`, `write to`, `update`, `drop`. */
  action: string;
  /** `user@host:port/database` (see {@link describeTarget}). */
  target: string;
  /** The table involved, when there is one. */
  table?: string;
  /** online_store.connect_timeout, for the unreachable message. */
  connectTimeoutSeconds?: number;
  /** online_store.query_timeout, for the timeout message. */
  queryTimeoutSeconds?: number;
  /** Which value of the write was largest, for a value-too-large message. */
  tooLargeDetail?: string;
}

/** `user@host:port/database`, for messages (never the password); an IPv6 host in brackets. */
export function describeTarget(s: { readonly user: string; readonly host: string; readonly port: number; readonly database: string }): string {
  const host = s.host.includes(':') ? `[${s.host}]` : s.host;
  return `${s.user}@${host}:${s.port}/${s.database}`;
}

/** The {@link StoreErrorContext} of a driver call at `site`, with the largest value of a write named. */
export function storeErrorContext(
  site: DriverSite,
  target: string,
  timeouts: { readonly connectTimeoutSeconds: number; readonly queryTimeoutSeconds: number },
  action: string = site.action,
): StoreErrorContext {
  const ctx: StoreErrorContext = {
    action,
    target,
    table: site.table,
    connectTimeoutSeconds: timeouts.connectTimeoutSeconds,
    queryTimeoutSeconds: timeouts.queryTimeoutSeconds,
  };
  if (site.largest) {
    ctx.tooLargeDetail = `The largest value of this call, feature "${site.largest.feature}" of row #${site.largest.row}, encodes to ${site.largest.bytes} bytes.`;
  }
  return ctx;
}
