import { encodeWrite, OnlineStoreError, serializeEntityKey, ValueProto, type OnlineWriteRow } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { byteaArray, textArray, timestamptzArray } from '../src/binary-array.js';
import { errorKind } from '../src/errors.js';
import { assertIdentifier, quoteIdentifier } from '../src/sql.js';
import { PostgreSQLDriver } from '../src/postgres-driver.js';
import { microsToMs, PG_EPOCH_MS, writeTimestamp } from '../src/timestamps.js';
import { WritePlan } from '../src/write-plan.js';
import { driverKey, driverStats } from './helpers.js';

// Core checks and encodes every write row with the driver's options and limits, as the store does.
const { limits, writeOptions } = new PostgreSQLDriver();
const encoded = (data: readonly OnlineWriteRow[]) => encodeWrite(driverStats(), data, 3, writeOptions, limits);

describe('binary arrays', () => {
  it('lays out a bytea[] as array_recv reads it', () => {
    const buf = byteaArray([Buffer.from([1, 2]), Buffer.from([])]);
    expect(buf.toString('hex')).toBe(
      '00000001' + '00000000' + '00000011' + '00000002' + '00000001' + '00000002' + '0102' + '00000000',
    );
    expect(byteaArray([]).toString('hex')).toBe('00000000' + '00000000' + '00000011');
  });

  it('text[] in UTF-8 with NULLs flagged', () => {
    const buf = textArray(['é', null]);
    expect(buf.toString('hex')).toBe('00000001' + '00000001' + '00000019' + '00000002' + '00000001' + '00000002' + 'c3a9' + 'ffffffff');
  });

  it('timestamptz[] as int64 microseconds since 2000-01-01', () => {
    const buf = timestamptzArray([PG_EPOCH_MS + 1, null], writeTimestamp);
    expect(buf.subarray(20).toString('hex')).toBe('00000008' + '00000000000003e8' + 'ffffffff');
    const before = timestamptzArray([PG_EPOCH_MS - 1], writeTimestamp);
    expect(before.readBigInt64BE(24)).toBe(-1000n);
    // beyond 2^53 microseconds the exact BigInt path is taken
    const far = timestamptzArray([8.64e15], writeTimestamp);
    expect(far.readBigInt64BE(24)).toBe((8_640_000_000_000_000n - BigInt(PG_EPOCH_MS)) * 1000n);
  });
});

describe('timestamps', () => {
  it('microseconds round down to the millisecond, negatives included', () => {
    expect(microsToMs('1714564800123456')).toBe(1714564800123);
    expect(microsToMs('-1')).toBe(-1);
    expect(microsToMs('-1000')).toBe(-1);
    expect(microsToMs('-1001')).toBe(-2);
    expect(microsToMs('9223372036854775807')).toBe(9223372036854775);
  });

  it('refuses invalid Dates and instants before 4714 BC', () => {
    const at = (ts: Date): OnlineWriteRow[] => [[driverKey(1), {}, ts, null]];
    expect(() => encoded(at(new Date(Number.NaN)))).toThrow(/the event timestamp must be a valid Date/);
    expect(() => encoded(at(new Date(-8.64e15)))).toThrow(/4714-11-24 BC/);
  });
});

describe('identifiers', () => {
  it('quotes with doubled double quotes', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
  it('refuses names over 63 bytes (counting UTF-8 bytes), naming the table', () => {
    expect(() => assertIdentifier('é'.repeat(32), 'table name', 'é'.repeat(32))).toThrow(/64 bytes long/);
    expect(() => assertIdentifier('x'.repeat(63), 'table name', 't')).not.toThrow();
    const err = (() => {
      try {
        assertIdentifier('x'.repeat(70), 'index name', 'my_table');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(OnlineStoreError);
    expect((err as OnlineStoreError).kind).toBe('invalid_identifier');
    expect((err as Error).message).toContain('"my_table"');
  });
});

describe('error kinds', () => {
  it('maps SQLSTATEs, socket codes and pg messages', () => {
    expect(errorKind({ code: '28P01' })).toBe('auth_failed');
    expect(errorKind({ code: '3D000' })).toBe('database_missing');
    expect(errorKind({ code: '42P01' })).toBe('table_missing');
    expect(errorKind({ code: '54000' })).toBe('value_too_large');
    expect(errorKind({ code: '57P01' })).toBe('connection_lost');
    expect(errorKind({ code: 'ECONNREFUSED' })).toBe('unreachable');
    expect(errorKind(new Error('Connection terminated unexpectedly'))).toBe('connection_lost');
    expect(errorKind(new Error('timeout exceeded when trying to connect'))).toBe('timeout');
    expect(errorKind({ code: '42601' })).toBe('query_failed');
  });
});

describe('WritePlan', () => {
  const at = new Date('2024-01-01T00:00:00Z');
  const row = (id: number, features: Record<string, ValueProto>): OnlineWriteRow => [driverKey(id), features, at, null];

  function decode(plan: WritePlan): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (let i = 0; plan.chunkAt(i); i++) {
      const [keys, names] = plan.chunkAt(i)!.params;
      // walk the two arrays: header 20 bytes, then (int32 len, bytes) per element
      const read = (buf: Buffer, asText: boolean) => {
        const n = buf.readInt32BE(12);
        const items: string[] = [];
        let o = 20;
        for (let j = 0; j < n; j++) {
          const len = buf.readInt32BE(o);
          items.push(asText ? buf.toString('utf8', o + 4, o + 4 + len) : buf.toString('hex', o + 4, o + 4 + len));
          o += 4 + len;
        }
        return items;
      };
      const k = read(keys, false);
      const f = read(names, true);
      k.forEach((key, j) => out.push([key, f[j]!]));
    }
    return out;
  }

  it('orders rows by serialized key, then feature name, and writes a repeated key once per feature', () => {
    const plan = new WritePlan(encoded([row(300, { b: { int64Val: 1n }, a: { int64Val: 1n } }), row(2, { a: { int64Val: 2n } }), row(300, { a: { int64Val: 3n } })]));
    const k300 = Buffer.from(serializeEntityKey(driverKey(300), 3)).toString('hex');
    const k2 = Buffer.from(serializeEntityKey(driverKey(2), 3)).toString('hex');
    const expected = [[k2, 'a'], [k300, 'a'], [k300, 'b']].sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : 0));
    expect(decode(plan)).toEqual(expected);
    const values = plan.chunkAt(0)!.params[2];
    // the later row's value for (300, a) wins: int64 3 encodes as 20 03
    expect(values.toString('hex')).toContain('000000022003');
    expect(plan.chunkAt(0)!.cellsEnd).toBe(3);
  });

  it('names the row of a bad key or timestamp before anything is sent', () => {
    expect(() => encoded([row(1, {}), [driverKey(2), {}, new Date(Number.NaN), null]])).toThrow(/Row 1 written to feature view "driver_hourly_stats": the event timestamp must be a valid Date/);
    expect(() => encoded([[{ joinKeys: ['a'], entityValues: [] }, {}, at, null]])).toThrow(/Row 0 written/);
  });
});
