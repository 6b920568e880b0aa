import { encodeWrite, OnlineStoreError, ValueConversionError, ValueProto, type OnlineWriteRow } from '@feast-ts/core';
import { entityKeyHex } from '../src/entity-key.js';
import { describe, expect, it, vi } from 'vitest';
import { errorKind, isConnectionLost, toStoreError } from '../src/errors.js';
import { createTableSql, featureFilterSql, selectSql, tableNames, utf8Literal } from '../src/sql.js';
import { MySQLDriver } from '../src/mysql-driver.js';
import { MAX_STATEMENT_BYTES, planWrite, type WriteChunk, type WritePlan } from '../src/write-plan.js';
import { driverKey, driverRow, driverStats } from './helpers.js';

const t0 = new Date('2024-05-01T12:00:00Z');

describe('identifiers', () => {
  it('validates and backtick-quotes table and index names', () => {
    const t = tableNames('proj', driverStats('driver_hourly_stats'));
    expect(t).toEqual({
      table: 'proj_driver_hourly_stats',
      index: 'proj_driver_hourly_stats_ek',
      quotedTable: '`proj_driver_hourly_stats`',
      quotedIndex: '`proj_driver_hourly_stats_ek`',
    });
    expect(createTableSql(t, 'utf8mb4_nopad_bin')).toBe(
      'CREATE TABLE IF NOT EXISTS `proj_driver_hourly_stats` (entity_key VARCHAR(512) CHARACTER SET ascii COLLATE ascii_bin, ' +
        'feature_name VARCHAR(256) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin, value MEDIUMBLOB, ' +
        'event_ts timestamp NULL DEFAULT NULL, created_ts timestamp NULL DEFAULT NULL, PRIMARY KEY(entity_key, feature_name))',
    );
  });

  it.each([
    ['a backtick', 'x`; DROP TABLE y; --', /backtick/],
    ['a NUL', 'x\0y', /NUL/],
    ['a trailing space', 'view ', /ends with a space/],
    ['65 characters', 'v'.repeat(60), /is 65 characters long/],
    ['an index name over 64', 'v'.repeat(59), /index name.*67 characters/],
  ])('rejects a name with %s (invalid_identifier)', (_what, name, message) => {
    const err = (() => {
      try {
        tableNames('proj', driverStats(name));
      } catch (e) {
        return e as OnlineStoreError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(OnlineStoreError);
    expect(err.kind).toBe('invalid_identifier');
    expect(err.message).toMatch(message);
  });

  it('counts characters, not bytes, against the 64 limit', () => {
    expect(() => tableNames('p', driverStats('é'.repeat(58)))).not.toThrow(); // 'p_' + 58 + '_ek' = 63 characters
  });
});

describe('literals', () => {
  it('feature names are plain literals when safe, else utf8mb4 hex literals, so no escaping mode can break them', () => {
    expect(utf8Literal("a'b\\c")).toBe("_utf8mb4 X'6127625c63'");
    expect(utf8Literal('conv_rate 2.0-x:y')).toBe("'conv_rate 2.0-x:y'");
    expect(utf8Literal('a"b')).toBe("_utf8mb4 X'612262'");
    expect(featureFilterSql(undefined)).toBe('');
    expect(featureFilterSql(['x', 'ü'])).toBe(" AND feature_name IN ('x',_utf8mb4 X'c3bc')");
    expect(selectSql(tableNames('p', driverStats('v')), ['0a', '0b'], '')).toBe(
      "SELECT entity_key, feature_name, value, TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', event_ts) FROM `p_v` WHERE entity_key IN ('0a','0b')",
    );
  });
});

// Core checks every write row against the driver's limits and encodes it, as the store does.
const { limits, writeOptions } = new MySQLDriver();
const encoded = (data: readonly OnlineWriteRow[]) => encodeWrite(driverStats('v'), data, 3, writeOptions, limits);

describe('timestamps', () => {
  it('whole epoch seconds within the TIMESTAMP range, fractions dropped', () => {
    const write = (ts: Date) => planWrite(tableNames('p', driverStats('v')), encoded([[driverKey(1), { x: { int32Val: 1 } }, ts, null]]), 10).chunkAt(0)!.sql;
    expect(write(new Date('2024-05-01T12:00:00.999Z'))).toContain(",'2024-05-01 12:00:00',NULL)");
    expect(write(new Date('1970-01-01T00:00:01Z'))).toContain(",'1970-01-01 00:00:01',NULL)");
    expect(write(new Date('2038-01-19T03:14:07.999Z'))).toContain(",'2038-01-19 03:14:07',NULL)");
    expect(() => encoded([[driverKey(1), {}, new Date('1970-01-01T00:00:00.999Z'), null]])).toThrow(ValueConversionError);
    expect(() => encoded([[driverKey(1), {}, new Date('2038-01-19T03:14:08Z'), null]])).toThrow(/2038-01-19 03:14:07 UTC/);
    expect(() => encoded([[driverKey(1), {}, new Date(Number.NaN), null]])).toThrow(/valid Date/);
  });
});

describe('planWrite', () => {
  const t = tableNames('p', driverStats('v'));
  const allChunks = (plan: WritePlan): WriteChunk[] => {
    const out: WriteChunk[] = [];
    for (let i = 0; plan.chunkAt(i) !== undefined; i++) out.push(plan.chunkAt(i)!);
    return out;
  };

  it('splits cells into statements of at most write_chunk_size rows', () => {
    const data: OnlineWriteRow[] = Array.from({ length: 10 }, (_, i) => driverRow(i, t0)); // 30 (entity, feature) rows
    data.push([driverKey(100), {}, t0, null]);
    const write = encoded(data);
    const plan = planWrite(t, write, 4);
    const chunks = allChunks(plan);
    expect(chunks.map((c) => (c.sql.match(/,'2024-05-01 12:00:00',NULL\)/g) ?? []).length)).toEqual([4, 4, 4, 4, 4, 4, 4, 2]);
    expect(chunks.map((c) => c.cellsEnd)).toEqual([4, 8, 12, 16, 20, 24, 28, 30]);
    // Core turns the cells written into completed input rows.
    expect(chunks.map((c) => write.rowsDoneAt[c.cellsEnd - 1])).toEqual([1, 2, 4, 5, 6, 8, 9, 11]);
    expect(chunks[0]!.sql).toMatch(/^INSERT INTO `p_v` \(entity_key, feature_name, value, event_ts, created_ts\) VALUES \('/);
    expect(chunks[0]!.sql).toMatch(/ ON DUPLICATE KEY UPDATE value = VALUES\(value\), event_ts = VALUES\(event_ts\), created_ts = VALUES\(created_ts\)$/);
    // the same chunk object every time it is asked for (a retried transaction re-sends the same statements)
    expect(plan.chunkAt(2)).toBe(chunks[2]);
    expect(plan.chunkAt(8)).toBeUndefined();
  });

  it('orders rows by entity key, keeping the input order of a key given twice (the later one wins)', () => {
    const plan = planWrite(t, encoded([driverRow(3, t0), driverRow(1, t0), [driverKey(3), { name: { stringVal: 'second' } }, t0, null]]), 100);
    const sql = plan.chunkAt(0)!.sql;
    const at = (needle: string) => sql.indexOf(needle);
    expect(at(entityKeyHex(driverKey(1)))).toBeLessThan(at(entityKeyHex(driverKey(3))));
    expect(at(Buffer.from(ValueProto.encode({ stringVal: 'driver 3' })).toString('hex'))).toBeLessThan(
      at(Buffer.from(ValueProto.encode({ stringVal: 'second' })).toString('hex')),
    );
  });

  it('also splits by statement size, well below max_allowed_packet', () => {
    const big = { bytesVal: new Uint8Array(60_000) };
    const data: OnlineWriteRow[] = Array.from({ length: 40 }, (_, i) => [driverKey(i), { blob: big }, t0, null]);
    const write = encoded(data);
    const chunks = allChunks(planWrite(t, write, 1000));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.sql.length).toBeLessThanOrEqual(MAX_STATEMENT_BYTES);
    expect(chunks.at(-1)!.cellsEnd).toBe(40);
    expect(write.largest).toMatchObject({ bytes: 60_004, feature: 'blob' });
  });

  it('refuses keys, timestamps and values up front, naming the row and feature', () => {
    expect(() => encoded([[driverKey(2), {}, new Date('1960-01-01'), null]])).toThrow(/Row 0 written to feature view "v": the event timestamp/);
    expect(() => encoded([[driverKey(2), {}, t0, new Date('2050-01-01')]])).toThrow(/Row 0 written to feature view "v": the created timestamp/);
    expect(() => encoded([driverRow(1, t0), [driverKey(2), { x: { int64Val: 1 as unknown as bigint } }, t0, null]])).toThrow(/Row 1 written to feature view "v", feature "x"/);
    const long = { joinKeys: ['k'], entityValues: [{ stringVal: 'z'.repeat(300) }] };
    expect(() => encoded([[long, {}, t0, null]])).toThrow(OnlineStoreError);
  });
});

describe('driver errors to OnlineStoreError kinds', () => {
  it.each([
    [{ errno: 1045, code: 'ER_ACCESS_DENIED_ERROR' }, 'auth_failed'],
    [{ errno: 1044, code: 'ER_DBACCESS_DENIED_ERROR' }, 'auth_failed'],
    [{ errno: 1049, code: 'ER_BAD_DB_ERROR' }, 'database_missing'],
    [{ code: 'ECONNREFUSED' }, 'unreachable'],
    [{ code: 'ENOTFOUND' }, 'unreachable'],
    [{ code: 'ETIMEDOUT' }, 'unreachable'],
    [{ errno: 1040, code: 'ER_CON_COUNT_ERROR' }, 'unreachable'],
    [{ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }, 'connection_lost'],
    [{ code: 'ECONNRESET' }, 'connection_lost'],
    [{ errno: 1927, code: 'ER_CONNECTION_KILLED' }, 'connection_lost'],
    [{ errno: 4031, code: 'ER_CLIENT_INTERACTION_TIMEOUT' }, 'connection_lost'],
    [{ fatal: true, message: "Can't add new command when connection is in closed state" }, 'connection_lost'],
    [{ errno: 1406, code: 'ER_DATA_TOO_LONG' }, 'value_too_large'],
    [{ errno: 1153, code: 'ER_NET_PACKET_TOO_LARGE' }, 'value_too_large'],
    [{ errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT' }, 'timeout'],
    [{ errno: 1146, code: 'ER_NO_SUCH_TABLE' }, 'table_missing'],
    [{ errno: 1064, code: 'ER_PARSE_ERROR' }, 'query_failed'],
  ])('%o -> %s', (err, kind) => {
    expect(errorKind(Object.assign(new Error('x'), err))).toBe(kind);
    expect(isConnectionLost(Object.assign(new Error('x'), err))).toBe(kind === 'connection_lost');
  });

  it('messages name the target and say what to do; feast-ts errors pass through', () => {
    const err = toStoreError(Object.assign(new Error('Unknown database'), { errno: 1049, code: 'ER_BAD_DB_ERROR' }), {
      action: 'read from',
      target: 'feast@db:3306/nope',
      table: 'p_v',
    }) as OnlineStoreError;
    expect(err.kind).toBe('database_missing');
    expect(err.message).toBe(
      'MySQLOnlineStore could not read from `p_v` on feast@db:3306/nope: Unknown database [ER_BAD_DB_ERROR 1049]. ' +
        'Create the database first (CREATE DATABASE ...), or fix online_store.database (or the path of online_store.url).',
    );
    expect(err.cause).toBeInstanceOf(Error);
    const own = new ValueConversionError('bad');
    expect(toStoreError(own, { action: 'x', target: 'y' })).toBe(own);
  });
});

describe('contrib warning', () => {
  it('is emitted once per process, not per store or call', async () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const { MySQLOnlineStore } = await import('../src/index.js');
      await Promise.all([new MySQLOnlineStore(), new MySQLOnlineStore()].map((s) => s.close()));
      new MySQLOnlineStore();
      const ours = emit.mock.calls.filter((c) => String(c[0]).includes('MySQLOnlineStore is a contrib online store'));
      expect(ours).toHaveLength(1);
      expect(ours[0]![1]).toMatchObject({ type: 'ExperimentalWarning' });
    } finally {
      emit.mockRestore();
    }
  });
});
