import { OnlineStoreError, ValueConversionError, ValueProto, type OnlineWriteRow } from '@feast-ts/core';
import { entityKeyHex } from '../src/entity-key.js';
import { describe, expect, it, vi } from 'vitest';
import { errorKind, isConnectionLost, toStoreError } from '../src/errors.js';
import { createTableSql, featureFilterSql, selectSql, tableNames, utf8Literal } from '../src/sql.js';
import { fromEpochSeconds, toEpochSeconds } from '../src/timestamps.js';
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

describe('timestamps', () => {
  it('whole epoch seconds within the TIMESTAMP range, fractions dropped', () => {
    expect(toEpochSeconds(new Date('2024-05-01T12:00:00.999Z'), 'ts')).toBe(1_714_564_800);
    expect(toEpochSeconds(new Date('1970-01-01T00:00:01Z'), 'ts')).toBe(1);
    expect(toEpochSeconds(new Date('2038-01-19T03:14:07Z'), 'ts')).toBe(2 ** 31 - 1);
    expect(() => toEpochSeconds(new Date('1970-01-01T00:00:00Z'), 'ts')).toThrow(ValueConversionError);
    expect(() => toEpochSeconds(new Date('2038-01-19T03:14:08Z'), 'ts')).toThrow(/2038-01-19 03:14:07 UTC/);
    expect(() => toEpochSeconds(new Date(Number.NaN), 'ts')).toThrow(/valid Date/);
    expect(fromEpochSeconds(1_714_564_800)).toEqual(new Date('2024-05-01T12:00:00Z'));
    expect(fromEpochSeconds('1714564800.500000')).toEqual(new Date('2024-05-01T12:00:00.500Z'));
    expect(fromEpochSeconds(null)).toBeNull();
  });
});

describe('planWrite', () => {
  const t = tableNames('p', driverStats('v'));
  const allChunks = (plan: WritePlan): WriteChunk[] => {
    const out: WriteChunk[] = [];
    for (let i = 0; plan.chunkAt(i) !== undefined; i++) out.push(plan.chunkAt(i)!);
    return out;
  };

  it('splits rows into statements of at most write_chunk_size rows; progress adds up to the input rows', () => {
    const data: OnlineWriteRow[] = Array.from({ length: 10 }, (_, i) => driverRow(i, t0)); // 30 (entity, feature) rows
    data.push([driverKey(100), {}, t0, null]);
    const plan = planWrite(t, data, 4);
    const chunks = allChunks(plan);
    expect(chunks.map((c) => (c.sql.match(/,'2024-05-01 12:00:00',NULL\)/g) ?? []).length)).toEqual([4, 4, 4, 4, 4, 4, 4, 2]);
    expect(chunks.map((c) => c.entities)).toEqual([1, 1, 2, 1, 1, 2, 1, 2]);
    expect(plan.trailingEntities).toBe(0); // the featureless last entity is completed by the last statement
    expect(chunks.reduce((a, c) => a + c.entities, 0) + plan.trailingEntities).toBe(11);
    expect(chunks[0]!.sql).toMatch(/^INSERT INTO `p_v` \(entity_key, feature_name, value, event_ts, created_ts\) VALUES \('/);
    expect(chunks[0]!.sql).toMatch(/ ON DUPLICATE KEY UPDATE value = VALUES\(value\), event_ts = VALUES\(event_ts\), created_ts = VALUES\(created_ts\)$/);
    // the same chunk object every time it is asked for (a retried transaction re-sends the same statements)
    expect(plan.chunkAt(2)).toBe(chunks[2]);
    expect(plan.chunkAt(8)).toBeUndefined();

    const empty = planWrite(t, [[driverKey(1), {}, t0, null], [driverKey(2), {}, t0, null]], 4);
    expect(empty.chunkAt(0)).toBeUndefined();
    expect(empty.trailingEntities).toBe(2);
  });

  it('orders rows by entity key, keeping the input order of a key given twice (the later one wins)', () => {
    const plan = planWrite(t, [driverRow(3, t0), driverRow(1, t0), [driverKey(3), { name: { stringVal: 'second' } }, t0, null]], 100);
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
    const plan = planWrite(t, data, 1000);
    const chunks = allChunks(plan);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.sql.length).toBeLessThanOrEqual(MAX_STATEMENT_BYTES);
    expect(chunks.reduce((a, c) => a + c.entities, 0)).toBe(40);
    expect(plan.largest).toMatchObject({ bytes: 60_004, feature: 'blob' });
  });

  it('checks keys and timestamps up front, and names the row and feature of a bad value when it is encoded', () => {
    expect(() => planWrite(t, [[driverKey(2), {}, new Date('1960-01-01'), null]], 10)).toThrow(/row #0: event timestamp/);
    expect(() => planWrite(t, [[driverKey(2), {}, t0, new Date('2050-01-01')]], 10)).toThrow(/row #0: created timestamp/);
    const plan = planWrite(t, [driverRow(1, t0), [driverKey(2), { x: { int64Val: 1 as unknown as bigint } }, t0, null]], 10);
    expect(() => plan.chunkAt(0)).toThrow(/row #1, feature "x"/);
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
    [{ errno: 1146, code: 'ER_NO_SUCH_TABLE' }, 'query_failed'],
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
