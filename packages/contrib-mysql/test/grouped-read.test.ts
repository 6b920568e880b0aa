import { FeastType, FeatureView, Field, onlineTableName, ValueProto, type FetchSink, type OnlineWriteRow } from '@feast-ts/core';
import type mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { entityKeyHex, GROUPED_CHUNK_KEYS } from '../src/index.js';
import { featureName, FeatureNames, packRow, unpackRow, valueEnd, valueStart, type FeatureOffsets } from '../src/packed-row.js';
import { GROUPED_MIN_FEATURES, GROUPED_MIN_ROWS, readGrouped, readRows, readShape, type ReadTarget } from '../src/read.js';
import { featureFilterSql, GROUPED_MAX_BYTES, tableNames } from '../src/sql.js';
import { feastApply } from './feast-ddl.js';
import { describeWithServer, driver, driverKey, setup } from './helpers.js';

const t0 = new Date('2024-05-01T12:00:00Z');

/** Bytes that look like the packing itself: the name-end marker, a length, NUL, a valid-looking header. */
const TRICKY = new Uint8Array([0xff, 0x00, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff, 0x00, 0x27, 0x5c, 0xff]);

function unpacked(packed: Buffer, count: number): Array<[string, string]> | false {
  const at: FeatureOffsets = [];
  if (!unpackRow(packed, count, at)) return false;
  return Array.from({ length: count }, (_, f) => [featureName(packed, at, f), packed.subarray(valueStart(at, f), valueEnd(at, f)).toString('hex')]);
}

describe('packed rows (one row per entity)', () => {
  it('names every feature of rows in changing order as featureName does, whatever the row before held at that position', () => {
    const names = new FeatureNames();
    const rows = [
      ['ab', 'cd', 'é'],
      ['AA', 'cd', 'é'], // the bytes the row before's buffer holds after it is reused (below)
      ['ab', 'cd', 'é'],
      ['ab', 'cd', 'é'], // the same order
      ['cd', 'ab', 'é'], // same lengths, other bytes
      ['abc', 'c', 'é', 'x'], // other lengths, one more
      ['abd', 'c', 'e\u0301'], // one byte differs at the end; a name of other bytes that looks alike
    ];
    for (const row of rows) {
      const packed = packRow(row.map((n) => [n, new Uint8Array([1])]));
      const at: FeatureOffsets = [];
      expect(unpackRow(packed, row.length, at)).toBe(true);
      expect(row.map((_, f) => names.name(packed, at, f))).toEqual(row.map((_, f) => featureName(packed, at, f)));
      expect(row.map((_, f) => names.name(packed, at, f))).toEqual(row);
      packed.fill(0x41); // the buffer reused for other bytes: what was remembered is a copy
    }
  });

  it('unpacks names and values, whatever bytes the values hold', () => {
    const features: Array<[string, Uint8Array | null]> = [
      ['a', TRICKY],
      ['empty', new Uint8Array(0)],
      ['null', null],
      ['ünï €😀', new Uint8Array([0xff])],
      ["x'y\\z", new Uint8Array([0, 0, 0])],
    ];
    expect(unpacked(packRow(features), features.length)).toEqual(features.map(([n, v]) => [n, Buffer.from(v ?? []).toString('hex')]));
  });

  it('unpacks a row of many features, and empty values as empty', () => {
    const features = Array.from({ length: 2000 }, (_, i): [string, Uint8Array] => [`feature_${i}`, i % 3 === 0 ? new Uint8Array(0) : TRICKY.subarray(0, i % TRICKY.length)]);
    const got = unpacked(packRow(features), features.length);
    expect(got).not.toBe(false);
    expect((got as Array<[string, string]>).map(([n]) => n)).toEqual(features.map(([n]) => n));
    expect((got as Array<[string, string]>)[3]![1]).toBe('');
  });

  it('refuses every cut of a packed row (as GROUP_CONCAT cuts at group_concat_max_len), and a wrong count or trailing bytes', () => {
    const features: Array<[string, Uint8Array]> = [['f0', TRICKY], ['f1', new Uint8Array(0)], ['ü', TRICKY.subarray(0, 4)], ['f3', new Uint8Array([0xff, 0xff, 0xff])]];
    const packed = packRow(features);
    for (let cut = 0; cut < packed.length; cut++) expect(unpacked(packed.subarray(0, cut), features.length), `cut at ${cut}`).toBe(false);
    expect(unpacked(packed, 3)).toBe(false);
    expect(unpacked(packed, 5)).toBe(false);
    expect(unpacked(Buffer.concat([packed, Buffer.from([0])]), 4)).toBe(false);
    expect(unpacked(Buffer.alloc(0), 0)).toEqual([]);
  });

  it('a value of 2^24 - 1 bytes or more is marked as longer than any packed row, so it never unpacks', () => {
    const header = packRow([['f', new Uint8Array(0)]]);
    header.writeUIntBE(0xffffff, 2, 3);
    expect(unpacked(Buffer.concat([header, Buffer.alloc(GROUPED_MAX_BYTES)]), 1)).toBe(false);
  });

  it('picks one row per entity for wide and large reads only', () => {
    expect(readShape(100, 50)).toBe('grouped');
    expect(readShape(GROUPED_MIN_ROWS / GROUPED_MIN_FEATURES, GROUPED_MIN_FEATURES)).toBe('grouped');
    expect(readShape(GROUPED_MIN_ROWS / GROUPED_MIN_FEATURES - 1, GROUPED_MIN_FEATURES)).toBe('rows');
    expect(readShape(1000, GROUPED_MIN_FEATURES - 1)).toBe('rows');
    expect(readShape(1, 5000)).toBe('grouped');
    expect(readShape(1, 50)).toBe('rows');
  });
});

/** A view of `count` Bytes features f0, f1, ... */
function wideView(name: string, count: number): FeatureView {
  return new FeatureView({ name, entities: [driver], schema: Array.from({ length: count }, (_, i) => new Field({ name: `f${i}`, dtype: FeastType.Bytes })) });
}

/** A sink that keeps every row it is handed, as `key feature` -> value hex, and fails on a row handed twice. */
function recordingSink(): FetchSink & { rows: Map<string, { value: string; eventMs: number | null }> } {
  const rows = new Map<string, { value: string; eventMs: number | null }>();
  const row = (key: number, feature: string, value: Uint8Array | null, eventMs: number | null): void => {
    const id = `${key} ${feature}`;
    if (rows.has(id)) throw new Error(`row ${id} handed twice`);
    rows.set(id, { value: Buffer.from(value ?? []).toString('hex'), eventMs });
  };
  return {
    rows,
    row,
    rowIn: (key, feature, bytes, start, end, eventMs) => row(key, feature, bytes.subarray(start, end), eventMs),
  };
}

/** `conn` with every statement it runs recorded (and the warnings of each). */
function recording(conn: mysql.Connection): { conn: mysql.Connection; statements: Array<{ sql: string; warnings: string[] }> } {
  const statements: Array<{ sql: string; warnings: string[] }> = [];
  const query = async (options: mysql.QueryOptions) => {
    const result = await conn.query(options);
    const [warnings] = await conn.query({ sql: 'SHOW WARNINGS', rowsAsArray: true });
    statements.push({ sql: options.sql, warnings: (warnings as Array<[string, number, string]>).map((w) => `${w[1]} ${w[2]}`) });
    return result;
  };
  return { conn: { query } as unknown as mysql.Connection, statements };
}

describeWithServer('MySQLOnlineStore: one-row-per-entity reads on a real server', () => {
  it('reads back every feature of 40 entities x 30 features: values holding the packing bytes, empty, Feast null, missing features', async () => {
    const f = await setup('gr_values');
    const view = wideView('wide', 30);
    expect(readShape(40, 30)).toBe('grouped');
    await f.store.update(f.config, [], [view], [], [], false);
    const expected = new Map<number, Record<string, ValueProto>>();
    const data: OnlineWriteRow[] = [];
    for (let id = 0; id < 40; id++) {
      const values: Record<string, ValueProto> = {};
      for (let i = 0; i < 30; i++) {
        if ((id + i) % 7 === 0) continue; // some features missing
        values[`f${i}`] = i === 1 ? {} : { bytesVal: TRICKY.subarray(0, ((id + i) % TRICKY.length) + 1) };
      }
      expected.set(id, values);
      data.push([driverKey(id), values, new Date(t0.getTime() + id * 1000), null]);
    }
    await f.store.onlineWriteBatch(f.config, view, data);
    // Values Feast's side may leave: an empty BLOB and a NULL one (both Feast null).
    const table = onlineTableName(f.project, view);
    await f.raw.query(`UPDATE \`${table}\` SET value = X'' WHERE entity_key = ? AND feature_name = 'f2'`, [entityKeyHex(driverKey(3))]);
    await f.raw.query(`UPDATE \`${table}\` SET value = NULL WHERE entity_key = ? AND feature_name = 'f3'`, [entityKeyHex(driverKey(3))]);
    expected.get(3)!.f2 = {};
    expected.get(3)!.f3 = {};
    const ids = [...Array.from({ length: 40 }, (_, i) => 39 - i), 1000]; // reversed, and one missing
    const res = await f.store.onlineRead(f.config, view, ids.map(driverKey));
    expect(res[40]).toEqual([null, null]);
    for (let j = 0; j < 40; j++) {
      const id = ids[j]!;
      expect(res[j]![0], `entity ${id}`).toEqual(new Date(t0.getTime() + id * 1000));
      expect(res[j]![1], `entity ${id}`).toEqual(expected.get(id));
    }
  });

  it('gives each feature the latest event time of its entity, as the row-by-row read does', async () => {
    const f = await setup('gr_times');
    const view = wideView('times', 30);
    await f.store.update(f.config, [], [view], [], [], false);
    const base = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, { bytesVal: new Uint8Array([i]) }]));
    await f.store.onlineWriteBatch(f.config, view, [[driverKey(1), base, t0, null]]);
    const later = new Date('2030-01-02T03:04:05Z');
    await f.store.onlineWriteBatch(f.config, view, [[driverKey(1), { f7: { bytesVal: new Uint8Array([9]) } }, later, null]]);
    const t = tableNames(f.config, view);
    const hex = entityKeyHex(driverKey(1));
    const target = (sink: FetchSink): ReadTarget => ({ t, filter: '', timeout: 10_000, index: new Map([[hex, 0]]), sink });
    await f.raw.query("SET SESSION group_concat_max_len = 1048576, time_zone = SYSTEM");
    const grouped = recordingSink();
    const rows = recordingSink();
    await readGrouped(f.raw, target(grouped), [hex]);
    await readRows(f.raw, target(rows), [hex]);
    expect(grouped.rows.size).toBe(30);
    expect([...grouped.rows.values()].every((r) => r.eventMs === later.getTime())).toBe(true);
    expect([...grouped.rows.entries()].map(([k, r]) => [k, r.value])).toEqual(
      expect.arrayContaining([...rows.rows.entries()].map(([k, r]) => [k, r.value])),
    );
    expect(Math.max(...[...rows.rows.values()].map((r) => r.eventMs!))).toBe(later.getTime());
  });

  it('reads an entity whose packed row GROUP_CONCAT cut again row by row, and only that one', async () => {
    const f = await setup('gr_cut');
    const view = wideView('cut', 30);
    await f.store.update(f.config, [], [view], [], [], false);
    const big = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, { bytesVal: new Uint8Array(100).fill(0xff - i) }]));
    const small = { f0: { bytesVal: TRICKY } };
    await f.store.onlineWriteBatch(f.config, view, [[driverKey(1), small, t0, null], [driverKey(2), big, t0, null], [driverKey(3), small, t0, null]]);
    const hexes = [1, 2, 3].map((id) => entityKeyHex(driverKey(id)));
    await f.raw.query('SET SESSION group_concat_max_len = 1024, time_zone = SYSTEM'); // entity 2 packs to ~3.2 KB
    const { conn, statements } = recording(f.raw);
    const sink = recordingSink();
    await readGrouped(conn, { t: tableNames(f.config, view), filter: '', timeout: 10_000, index: new Map(hexes.map((h, i) => [h, i])), sink }, hexes);
    expect(statements).toHaveLength(2);
    expect(statements[0]!.sql).toContain('GROUP_CONCAT');
    expect(statements[0]!.warnings.join('\n')).toMatch(/^1260 /m); // "Row 2 was cut by GROUP_CONCAT()"
    expect(statements[1]!.sql).not.toContain('GROUP_CONCAT');
    expect(statements[1]!.sql).toContain(`IN ('${hexes[1]}')`);
    expect(sink.rows.size).toBe(32);
    for (let i = 0; i < 30; i++) expect(sink.rows.get(`1 f${i}`)?.value).toBe(Buffer.from(ValueProto.encode(big[`f${i}`]!)).toString('hex'));
    expect(sink.rows.get('0 f0')?.value).toBe(Buffer.from(ValueProto.encode(small.f0)).toString('hex'));
  });

  it(`through the store: an entity over ${GROUPED_MAX_BYTES / 2 ** 20} MiB of features is read row by row, the others grouped`, async () => {
    const f = await setup('gr_large');
    const view = wideView('large', 25);
    await f.store.update(f.config, [], [view], [], [], false);
    const huge = new Uint8Array(GROUPED_MAX_BYTES + 1000).fill(0xab);
    const row = (id: number, first: Uint8Array): OnlineWriteRow => [
      driverKey(id),
      Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`f${i}`, { bytesVal: i === 0 ? first : new Uint8Array([id, i]) }])),
      t0,
      null,
    ];
    await f.store.onlineWriteBatch(f.config, view, [row(0, TRICKY), row(1, huge), ...Array.from({ length: 40 }, (_, i) => row(i + 2, TRICKY))]);
    const ids = Array.from({ length: 42 }, (_, i) => i);
    expect(readShape(ids.length, 25)).toBe('grouped');
    const res = await f.store.onlineRead(f.config, view, ids.map(driverKey));
    expect(res.every((r) => r[1] !== null && Object.keys(r[1]).length === 25)).toBe(true);
    expect(Buffer.from(res[1]![1]!.f0!.bytesVal!).equals(huge)).toBe(true);
    expect(res[5]![1]!.f3).toEqual({ bytesVal: new Uint8Array([5, 3]) });
  });

  it(`reads more than ${GROUPED_CHUNK_KEYS} keys in several statements, with a feature filter`, async () => {
    const f = await setup('gr_chunks');
    const view = wideView('chunks', 25);
    await f.store.update(f.config, [], [view], [], [], false);
    const n = GROUPED_CHUNK_KEYS + 20;
    await f.store.onlineWriteBatch(
      f.config,
      view,
      Array.from({ length: n }, (_, id): OnlineWriteRow => [driverKey(id), Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`f${i}`, { bytesVal: new Uint8Array([id % 256, i]) }])), t0, null]),
    );
    const wanted = Array.from({ length: 24 }, (_, i) => `f${i + 1}`);
    expect(readShape(n, wanted.length)).toBe('grouped');
    const res = await f.store.onlineRead(f.config, view, Array.from({ length: n }, (_, i) => driverKey(n - 1 - i)), wanted);
    for (let j = 0; j < n; j++) {
      const id = n - 1 - j;
      expect(Object.keys(res[j]![1]!).sort()).toEqual([...wanted].sort());
      expect(res[j]![1]!.f24).toEqual({ bytesVal: new Uint8Array([id % 256, 24]) });
    }
  });

  it("reads non-ASCII feature names of a table Feast created in another character set (latin1)", async () => {
    const f = await setup('gr_latin1');
    const names = ['é', 'naïve', 'a b'];
    const view = new FeatureView({ name: 'latin', entities: [driver], schema: names.map((name) => new Field({ name, dtype: FeastType.Int64 })) });
    const table = onlineTableName(f.project, view);
    await f.raw.query(`ALTER DATABASE \`${f.database}\` CHARACTER SET latin1 COLLATE latin1_swedish_ci`);
    await feastApply(f.raw, table);
    const [[, , columnCharset]] = (await f.raw.query({ sql: `SHOW FULL COLUMNS FROM \`${table}\` WHERE Field = 'feature_name'`, rowsAsArray: true }))[0] as [[string, string, string]];
    expect(columnCharset).toMatch(/^latin1/);
    await f.store.update(f.config, [], [view], [], [], false);
    await f.store.onlineWriteBatch(f.config, view, [[driverKey(1), { é: { int64Val: 1n }, naïve: { int64Val: 2n }, 'a b': { int64Val: 3n } }, t0, null]]);
    const hex = entityKeyHex(driverKey(1));
    const sink = recordingSink();
    await f.raw.query('SET SESSION group_concat_max_len = 1048576, time_zone = SYSTEM');
    await readGrouped(f.raw, { t: tableNames(f.config, view), filter: featureFilterSql(['é', 'naïve']), timeout: 10_000, index: new Map([[hex, 0]]), sink }, [hex]);
    expect([...sink.rows.keys()].sort()).toEqual(['0 naïve', '0 é']);
  });
});
