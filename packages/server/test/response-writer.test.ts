import { OnlineResponse, type OnlineReadResult, type OnlineResponseInit, type ValueProto } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { onlineResponseJson, valueJson } from '../src/response-writer.js';
import { oldResponseText } from './old-response-json.js';
import { parseJsonExact } from '../src/exact-json.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

/** One view `v` with one row per value of `column` (feature `x`), all rows 10 s old. */
function oneColumn(values: readonly (ValueProto | undefined)[], extra: Partial<OnlineResponseInit> = {}, ttlSeconds = 0): OnlineResponse {
  const results: OnlineReadResult[] = values.map((v): OnlineReadResult => [new Date(NOW - 10_000), v === undefined ? {} : { x: v }]);
  return new OnlineResponse({
    rowCount: values.length,
    keyColumns: [{ name: 'id', values: values.map((_, i) => ({ int64Val: BigInt(i) })) }],
    views: [{ viewName: 'v', ttlSeconds, features: ['x'], columnNames: ['x'], results }],
    now: NOW,
    ...extra,
  });
}

/** New and old writers agree; the text is also valid JSON. */
function agree(response: OnlineResponse, int64Columns: string[] = []): string {
  const text = onlineResponseJson(response);
  expect(text).toBe(oldResponseText(response, new Set(int64Columns)));
  expect(() => JSON.parse(text)).not.toThrow();
  return text;
}

const valuesOf = (text: string): string => {
  const m = /"results":\[\{"values":\[[^\]]*\],.*?\{"values":(.*?),"statuses"/.exec(text);
  return m![1]!;
};

describe('onlineResponseJson (the /get-online-features writer) against the former JSON.stringify path', () => {
  it('doubles, floats and int32s, with NaN and the infinities as null and -0 as 0, as JSON.stringify writes them', () => {
    const text = agree(
      oneColumn([
        { doubleVal: 0.1 + 0.2 },
        { doubleVal: Number.NaN },
        { doubleVal: Number.POSITIVE_INFINITY },
        { doubleVal: Number.NEGATIVE_INFINITY },
        { doubleVal: -0 },
        { doubleVal: 1e21 },
        { doubleVal: 5e-324 },
        { floatVal: Math.fround(0.1) },
        { int32Val: -2147483648 },
      ]),
    );
    expect(valuesOf(text)).toBe('[0.30000000000000004,null,null,null,0,1e+21,5e-324,0.10000000149011612,-2147483648]');
  });

  it('int64 and unix timestamps at the extremes, as exact bare numbers', () => {
    const ints = [I64_MIN, I64_MAX, SAFE, SAFE + 1n, -SAFE, -SAFE - 1n, 0n, -1n];
    const text = agree(oneColumn([...ints.map((n) => ({ int64Val: n })), { unixTimestampVal: I64_MAX }]), ['x']);
    expect(valuesOf(text)).toBe(`[${ints.join(',')},${I64_MAX}]`);
    // And they read back exactly.
    const back = parseJsonExact(text) as { results: { values: unknown[] }[] };
    expect(back.results[1]!.values).toEqual([I64_MIN, I64_MAX, Number(SAFE), SAFE + 1n, -Number(SAFE), -SAFE - 1n, 0, -1, I64_MAX]);
  });

  it('strings escaped as JSON.stringify escapes them: quotes, backslashes, control characters, non-ASCII, lone surrogates', () => {
    const strings = ['plain', 'say "hi"', 'back\\slash', 'line\nbreak\ttab\r', '\u0000\u001f\u007f', 'é ü 中文 🚀', '\ud800 lone', '\udfff', '</script>', '', '12345678901234567890'];
    const text = agree(oneColumn(strings.map((s) => ({ stringVal: s }))));
    expect(JSON.parse(text).results[1].values).toEqual(strings);
    expect(text).toContain(JSON.stringify('\ud800 lone')); // escaped as \ud800, not a broken byte
  });

  it('Json, uuid, decimal strings, booleans and bytes (base64)', () => {
    agree(
      oneColumn([
        { jsonVal: '{"a": [1, 2]}' },
        { uuidVal: '123e4567-e89b-12d3-a456-426614174000' },
        { timeUuidVal: 'd9428888-122b-11e1-b85c-61cd3cbb3210' },
        { decimalVal: '123456789012345678901234567890.5' },
        { boolVal: true },
        { boolVal: false },
        { bytesVal: bytes() },
        { bytesVal: bytes(0, 255, 128, 10, 34, 92) },
        { bytesVal: new Uint8Array(new Uint8Array([9, 1, 2, 3, 9]).buffer, 1, 3) },
      ]),
    );
  });

  it('lists and sets: numbers (NaN as null), int64s at the extremes, strings, booleans, bytes, empty lists', () => {
    const text = agree(
      oneColumn([
        { doubleListVal: { val: [1.5, Number.NaN, Number.POSITIVE_INFINITY, -0] } },
        { floatSetVal: { val: [Math.fround(1.1)] } },
        { int32ListVal: { val: [] } },
        { int64ListVal: { val: [I64_MIN, 0n, I64_MAX, SAFE + 1n] } },
        { int64SetVal: { val: [5n] } },
        { unixTimestampListVal: { val: [1767225600n, -SAFE - 2n] } },
        { stringListVal: { val: ['a"b', '\n', '🚀'] } },
        { stringSetVal: { val: [] } },
        { boolListVal: { val: [true, false] } },
        { bytesListVal: { val: [bytes(1, 2, 3), bytes()] } },
        { bytesSetVal: { val: [bytes(255)] } },
        { jsonListVal: { val: ['{}', '[1]'] } },
        { uuidListVal: { val: ['u1'] } },
        { decimalSetVal: { val: ['1.50'] } },
      ]),
      ['x'],
    );
    expect(text).toContain(`[${I64_MIN},0,${I64_MAX},${SAFE + 1n}]`);
  });

  it('nulls and missing values: a stored null, an empty value, a feature absent from the row, a missing row, a scalar map', () => {
    const response = new OnlineResponse({
      rowCount: 5,
      keyColumns: [{ name: 'id', values: [1n, 2n, 3n, 4n, 5n].map((n) => ({ int64Val: n })) }],
      views: [
        {
          viewName: 'v',
          ttlSeconds: 0,
          features: ['x', 'y'],
          columnNames: ['x', 'y'],
          results: [
            [new Date(NOW), { x: { nullVal: 0 }, y: { scalarMapVal: { val: [] } } }],
            [new Date(NOW), { x: {}, y: { int64Val: 1n } }],
            [new Date(NOW), { y: { int64Val: 2n } }],
            [null, null],
            [new Date(NOW), { x: { doubleVal: 1 }, y: {} }],
          ],
        },
      ],
      now: NOW,
    });
    const text = agree(response, ['y']);
    const json = JSON.parse(text);
    expect(json.results[1]).toEqual({
      values: [null, null, null, null, 1],
      statuses: ['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'PRESENT'],
      event_timestamps: ['2026-06-01T12:00:00Z', '2026-06-01T12:00:00Z', '2026-06-01T12:00:00Z', '1970-01-01T00:00:00Z', '2026-06-01T12:00:00Z'],
    });
    // A scalar map is set (PRESENT) but written as null, as Feast does not serialize it.
    expect(json.results[2].values).toEqual([null, 1, 2, null, null]);
    expect(json.results[2].statuses).toEqual(['PRESENT', 'PRESENT', 'PRESENT', 'NOT_FOUND', 'NOT_FOUND']);
  });

  it('maps, structs, nested lists and zoned timestamps (within 2^53) as the former path wrote them', () => {
    agree(
      oneColumn([
        { mapVal: { val: { b: { doubleVal: 1.5 }, a: { stringVal: 'x"y' }, '10': { int64Val: 3n }, '2': { nullVal: 0 }, ['__proto__']: { boolVal: true } } } },
        { mapVal: { val: {} } },
        { structVal: { val: { nested: { mapVal: { val: { k: { int64ListVal: { val: [1n, -2n] } } } } }, empty: {} } } },
        { mapListVal: { val: [{ val: { a: { int32Val: 1 } } }, { val: {} }] } },
        { structListVal: { val: [{ val: { s: { bytesVal: bytes(1) } } }] } },
        { listVal: { val: [{ int64ListVal: { val: [1n, 2n] } }, { doubleListVal: { val: [Number.NaN] } }, {}, { nullVal: 0 }] } },
        { setVal: { val: [{ stringListVal: { val: ['a'] } }] } },
        { zonedTimestampVal: { unixTimestamp: 1767225600n, zone: 'Europe/Paris' } },
        { zonedTimestampVal: { unixTimestamp: 1767225600n, zone: '-07:00' } },
        { zonedTimestampVal: { unixTimestamp: I64_MIN, zone: 'UTC' } },
      ]),
    );
  });

  it('writes int64s beyond 2^53 nested in maps and lists as exact numbers (the former path left those in maps as strings)', () => {
    const response = oneColumn([{ mapVal: { val: { big: { int64Val: I64_MAX } } } }, { listVal: { val: [{ int64ListVal: { val: [I64_MIN] } }] } }]);
    const text = onlineResponseJson(response);
    expect(valuesOf(text)).toBe(`[{"big":${I64_MAX}},[[${I64_MIN}]]]`);
    expect(oldResponseText(response, new Set())).toContain(`{"big":"${I64_MAX}"}`);
  });

  it('statuses and event timestamps: OUTSIDE_MAX_AGE kept or dropped, milliseconds, several views, full feature names', () => {
    for (const dropOutsideMaxAge of [false, true]) {
      const response = new OnlineResponse({
        rowCount: 3,
        keyColumns: [
          { name: 'driver_id', values: [{ int64Val: I64_MIN }, { int64Val: 7n }, { int64Val: I64_MAX }] },
          { name: 'city', values: [{ stringVal: 'Zürich' }, { stringVal: '9007199254740993' }, { stringVal: 'a"b' }] },
        ],
        views: [
          {
            viewName: 'fresh',
            ttlSeconds: 60,
            features: ['a', 'b'],
            columnNames: ['fresh__a', 'fresh__b'],
            results: [
              [new Date(NOW - 30_000 + 250), { a: { doubleVal: 1 }, b: { int64Val: I64_MAX } }],
              [new Date(NOW - 120_000), { a: { doubleVal: 2 }, b: { int64Val: 2n } }],
              [null, null],
            ],
          },
          {
            viewName: 'old',
            ttlSeconds: 0,
            features: ['c'],
            columnNames: ['old__c'],
            results: [
              [new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 500)), { c: { stringVal: 'pre-epoch' } }],
              [new Date(NOW - 120_000), { c: { stringVal: 'same time as fresh row 1' } }],
              [new Date(NOW - 120_000), { c: {} }],
            ],
          },
        ],
        now: NOW,
        dropOutsideMaxAge,
      });
      const text = agree(response, ['driver_id', 'fresh__b']);
      const json = JSON.parse(text);
      expect(json.metadata.feature_names).toEqual(['driver_id', 'city', 'fresh__a', 'fresh__b', 'old__c']);
      expect(json.results[2].statuses).toEqual(['PRESENT', 'OUTSIDE_MAX_AGE', 'NOT_FOUND']);
      expect(json.results[2].values).toEqual(dropOutsideMaxAge ? [1, null, null] : [1, 2, null]);
      expect(json.results[2].event_timestamps).toEqual(['2026-06-01T11:59:30.250Z', '2026-06-01T11:58:00Z', '1970-01-01T00:00:00Z']);
      expect(json.results[4].event_timestamps).toEqual(['1969-12-31T23:59:59.500Z', '2026-06-01T11:58:00Z', '2026-06-01T11:58:00Z']);
      expect(text).toContain(`"values":[${I64_MIN},7,${I64_MAX}]`);
      expect(text).toContain('"values":["Zürich","9007199254740993","a\\"b"]');
    }
  });

  it('a column whose every value is OUTSIDE_MAX_AGE (no NOT_FOUND among them)', () => {
    for (const drop of [false, true]) {
      // ttl 5 s; the rows are 10 s old.
      const json = JSON.parse(agree(oneColumn([{ doubleVal: 1 }, { doubleVal: 2 }], { dropOutsideMaxAge: drop }, 5)));
      expect(json.results[1].statuses).toEqual(['OUTSIDE_MAX_AGE', 'OUTSIDE_MAX_AGE']);
      expect(json.results[1].values).toEqual(drop ? [null, null] : [1, 2]);
    }
  });

  it('no entity rows, and a response with no join keys (an entityless view)', () => {
    agree(oneColumn([]));
    agree(
      new OnlineResponse({
        rowCount: 1,
        keyColumns: [],
        views: [{ viewName: 'g', ttlSeconds: 0, features: ['total'], columnNames: ['total'], results: [[new Date(NOW), { total: { int64Val: 5n } }]] }],
        now: NOW,
      }),
      ['total'],
    );
  });

  it('a column mixing plain values and ones written by hand (an int64 beyond 2^53 after safe ones)', () => {
    const text = agree(oneColumn([{ int64Val: 1n }, undefined, { int64Val: SAFE + 2n }, { int64Val: 3n }]), ['x']);
    expect(valuesOf(text)).toBe(`[1,null,${SAFE + 2n},3]`);
  });
});

describe('onlineResponseJson: one-row answers, names and event times reused across answers', () => {
  const INT64_KEYS = new Set(['int64Val', 'unixTimestampVal', 'int64ListVal', 'int64SetVal', 'unixTimestampListVal', 'unixTimestampSetVal']);

  it('a one-row column (written cell by cell, without JSON.stringify of the column) agrees for every kind of value', () => {
    const values: (ValueProto | undefined)[] = [
      { doubleVal: 0.1 + 0.2 },
      { doubleVal: Number.NaN },
      { doubleVal: Number.NEGATIVE_INFINITY },
      { doubleVal: -0 },
      { doubleVal: 1e21 },
      { floatVal: Math.fround(0.1) },
      { int32Val: -7 },
      { int64Val: SAFE },
      { int64Val: SAFE + 1n },
      { int64Val: I64_MIN },
      { unixTimestampVal: 1767225600n },
      { boolVal: true },
      { boolVal: false },
      { stringVal: 'say "hi"\n\u0000 é 🚀' },
      { stringVal: '\ud800' },
      { stringVal: '' },
      { jsonVal: '{"a":1}' },
      { bytesVal: bytes(0, 255, 34) },
      { doubleListVal: { val: [1.5, Number.NaN] } },
      { int64ListVal: { val: [I64_MAX, 1n] } },
      { stringListVal: { val: ['a"b'] } },
      { boolListVal: { val: [] } },
      { nullVal: 0 },
      { scalarMapVal: { val: [] } },
      {},
      undefined,
      { mapVal: { val: { k: { doubleVal: 2 } } } },
      { zonedTimestampVal: { unixTimestamp: 1767225600n, zone: 'Europe/Paris' } },
    ];
    for (const value of values) {
      const isInt64 = value !== undefined && Object.keys(value).some((k) => INT64_KEYS.has(k));
      const text = agree(oneColumn([value]), isInt64 ? ['x'] : []);
      expect(JSON.parse(text).results[1].values).toHaveLength(1);
    }
    // And as the one row of a column whose value is dropped for its age.
    const json = JSON.parse(agree(oneColumn([{ doubleVal: 1 }], { dropOutsideMaxAge: true }, 5)));
    expect(json.results[1]).toMatchObject({ values: [null], statuses: ['OUTSIDE_MAX_AGE'] });
  });

  /** A one-view answer with columns `columnNames` (all PRESENT) and join key `key`. */
  const answer = (columnNames: readonly string[], key = 'id'): OnlineResponse =>
    new OnlineResponse({
      rowCount: 1,
      keyColumns: [{ name: key, values: [{ int64Val: 1n }] }],
      views: [
        {
          viewName: 'v',
          ttlSeconds: 0,
          features: ['a', 'b'],
          columnNames,
          results: [[new Date(NOW), { a: { doubleVal: 1 }, b: { doubleVal: 2 } }]],
        },
      ],
      now: NOW,
    });
  const namesOf = (r: OnlineResponse): unknown => JSON.parse(onlineResponseJson(r)).metadata.feature_names;

  it('feature_names follow each answer: other column lists, other join keys, and a list changed in place', () => {
    const frozen = Object.freeze(['a', 'b']);
    expect(namesOf(answer(frozen))).toEqual(['id', 'a', 'b']);
    expect(namesOf(answer(frozen, 'driver_id'))).toEqual(['driver_id', 'a', 'b']);
    expect(namesOf(answer(Object.freeze(['v__a', 'v__b'])))).toEqual(['id', 'v__a', 'v__b']);
    expect(namesOf(answer(frozen))).toEqual(['id', 'a', 'b']);
    // A list that is not frozen may change between two answers: it is read again each time.
    const mutable = ['a', 'b'];
    expect(namesOf(answer(mutable))).toEqual(['id', 'a', 'b']);
    mutable[1] = 'renamed';
    expect(namesOf(answer(mutable))).toEqual(['id', 'a', 'renamed']);
  });

  it('event times: thousands of distinct ones in one answer, then the same times again, each written for its own row', () => {
    const n = 5000;
    const times = Array.from({ length: n }, (_, i) => NOW - i * 1001);
    const response = (order: readonly number[]): OnlineResponse =>
      new OnlineResponse({
        rowCount: n,
        keyColumns: [{ name: 'id', values: order.map((_, i) => ({ int64Val: BigInt(i) })) }],
        views: [{ viewName: 'v', ttlSeconds: 0, features: ['x'], columnNames: ['x'], results: order.map((ms): OnlineReadResult => [new Date(ms), { x: { doubleVal: ms } }]) }],
        now: NOW,
      });
    for (const order of [times, [...times].reverse()]) {
      const json = JSON.parse(agree(response(order)));
      expect(json.results[1].event_timestamps[0]).toBe(new Date(order[0]!).toISOString().replace(/\.000Z$/, 'Z'));
      expect(json.results[1].event_timestamps[n - 1]).toBe(new Date(order[n - 1]!).toISOString().replace(/\.000Z$/, 'Z'));
    }
  });
});

describe('valueJson', () => {
  it('is JSON.stringify of core valueToJson, with int64s bare', () => {
    expect(valueJson(undefined)).toBe('null');
    expect(valueJson({})).toBe('null');
    expect(valueJson({ nullVal: 0 })).toBe('null');
    expect(valueJson({ int64Val: I64_MIN })).toBe('-9223372036854775808');
    expect(valueJson({ doubleVal: Number.NaN })).toBe('null');
    expect(valueJson({ stringVal: '"' })).toBe('"\\""');
    expect(valueJson({ bytesVal: bytes(104, 105) })).toBe('"aGk="');
  });
});
