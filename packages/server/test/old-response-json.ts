/**
 * The server's former way of writing `/get-online-features` answers, kept as the reference the new
 * writer (src/response-writer.ts) is compared with: `JSON.stringify(response.toJSON())`, with
 * the decimal texts core gives for int64s beyond 2^53 written back as bare numbers in the columns
 * that are int64 by the registry (here: `int64Columns`, given by the test).
 */
import type { OnlineResponse } from '@feast-ts/core';

const MARK = `\u0000i64:${Math.random().toString(36).slice(2)}:`;
const MARKED = new RegExp(`"${JSON.stringify(MARK).slice(1, -1).replace(/\\/g, '\\\\')}(-?\\d+)"`, 'g');
const DIGITS = /^-?\d+$/;

const mark = (v: unknown): unknown => (typeof v === 'string' && DIGITS.test(v) ? MARK + v : Array.isArray(v) ? v.map(mark) : v);

export function oldResponseText(response: OnlineResponse, int64Columns: ReadonlySet<string>): string {
  const json = response.toJSON();
  const names = json.metadata.feature_names;
  json.results.forEach((r, i) => {
    if (int64Columns.has(names[i]!)) json.results[i] = { ...r, values: r.values.map(mark) as typeof r.values };
  });
  return JSON.stringify(json).replace(MARKED, '$1');
}
