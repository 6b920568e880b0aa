import { describe, expect, it } from 'vitest';
import { FieldStatus, OnlineResponse, type OnlineReadResult, type OnlineResponseInit } from '../src/index.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const at = (secondsAgo: number, ms = 0): Date => new Date(NOW - secondsAgo * 1000 + ms);

/** Rows: 0 fresh, 1 missing, 2 stored null for `rate`, 3 exactly at ttl, 4 one second past ttl, 5 sub-second past ttl (same second). */
function build(extra: Partial<OnlineResponseInit> = {}, ttlSeconds = 3600): OnlineResponse {
  const results: OnlineReadResult[] = [
    [at(10), { rate: { floatVal: 0.5 }, trips: { int64Val: 9007199254740993n } }],
    [null, null],
    [at(20, 250), { rate: {}, trips: { int64Val: 3n } }],
    [at(3600), { rate: { floatVal: 1 }, trips: { int64Val: 4n } }],
    [at(3601), { rate: { floatVal: 2 }, trips: { nullVal: 0 } }],
    [at(3600, -999), { rate: { floatVal: 3 }, trips: { int64Val: 6n } }],
  ];
  return new OnlineResponse({
    rowCount: 6,
    keyColumns: [{ name: 'driver_id', values: [1n, 2n, 3n, 4n, 5n, 9007199254740993n].map((n) => ({ int64Val: n })) }],
    views: [{ viewName: 'stats', ttlSeconds, features: ['rate', 'trips'], columnNames: ['rate', 'trips'], results }],
    now: NOW,
    ...extra,
  });
}

describe('OnlineResponse', () => {
  it('statuses: PRESENT, NOT_FOUND for no row and a stored null, OUTSIDE_MAX_AGE only past ttl (Go rule, whole seconds)', () => {
    expect(build().statuses()).toEqual({
      driver_id: Array(6).fill('PRESENT'),
      rate: ['PRESENT', 'NOT_FOUND', 'NOT_FOUND', 'PRESENT', 'OUTSIDE_MAX_AGE', 'OUTSIDE_MAX_AGE'],
      trips: ['PRESENT', 'NOT_FOUND', 'PRESENT', 'PRESENT', 'NOT_FOUND', 'OUTSIDE_MAX_AGE'],
    });
  });

  it('ttl 0 never expires', () => {
    expect(build({}, 0).statuses()['rate']).toEqual(['PRESENT', 'NOT_FOUND', 'NOT_FOUND', 'PRESENT', 'PRESENT', 'PRESENT']);
  });

  it('toDict: join keys first, values aligned, stale values kept by default', () => {
    const d = build().toDict();
    expect(Object.keys(d)).toEqual(['driver_id', 'rate', 'trips']);
    expect(d).toEqual({
      driver_id: [1n, 2n, 3n, 4n, 5n, 9007199254740993n],
      rate: [0.5, null, null, 1, 2, 3],
      trips: [9007199254740993n, null, 3n, 4n, null, 6n],
    });
  });

  it('dropOutsideMaxAge nulls stale values, keeping their status', () => {
    const r = build({ dropOutsideMaxAge: true });
    expect(r.toDict()['rate']).toEqual([0.5, null, null, 1, null, null]);
    expect(r.toJSON().results[1]!.values).toEqual([0.5, null, null, 1, null, null]);
    expect(r.toJSON().results[1]!.statuses[4]).toBe('OUTSIDE_MAX_AGE');
  });

  it('toDict with event timestamps: a <column>__ts after each column, epoch seconds, 0 for keys and missing rows', () => {
    const d = build().toDict({ includeEventTimestamps: true });
    expect(Object.keys(d)).toEqual(['driver_id', 'driver_id__ts', 'rate', 'rate__ts', 'trips', 'trips__ts']);
    const s = NOW / 1000;
    expect(d['driver_id__ts']).toEqual([0, 0, 0, 0, 0, 0]);
    expect(d['rate__ts']).toEqual([s - 10, 0, s - 20, s - 3600, s - 3601, s - 3601]);
    expect(d['trips__ts']).toEqual(d['rate__ts']);
  });

  it('toJSON is Feast\'s HTTP response, and JSON.stringify uses it', () => {
    const r = build();
    const json = JSON.parse(JSON.stringify(r));
    expect(json).toEqual({
      metadata: { feature_names: ['driver_id', 'rate', 'trips'] },
      results: [
        {
          values: [1, 2, 3, 4, 5, '9007199254740993'],
          statuses: Array(6).fill('PRESENT'),
          event_timestamps: Array(6).fill('1970-01-01T00:00:00Z'),
        },
        {
          values: [0.5, null, null, 1, 2, 3],
          statuses: ['PRESENT', 'NOT_FOUND', 'NOT_FOUND', 'PRESENT', 'OUTSIDE_MAX_AGE', 'OUTSIDE_MAX_AGE'],
          event_timestamps: [
            '2025-12-31T23:59:50Z',
            '1970-01-01T00:00:00Z',
            '2025-12-31T23:59:40.250Z',
            '2025-12-31T23:00:00Z',
            '2025-12-31T22:59:59Z',
            '2025-12-31T22:59:59.001Z',
          ],
        },
        {
          values: ['9007199254740993', null, 3, 4, null, 6],
          statuses: ['PRESENT', 'NOT_FOUND', 'PRESENT', 'PRESENT', 'NOT_FOUND', 'OUTSIDE_MAX_AGE'],
          event_timestamps: json.results[1].event_timestamps,
        },
      ],
    });
    expect(Object.keys(json)).toEqual(['metadata', 'results']);
  });

  it('judges ttl at the clock it is given', () => {
    const later = build({ now: NOW + 3_600_000 });
    expect(later.statuses()['rate']![0]).toBe('OUTSIDE_MAX_AGE');
  });

  it('an empty request gives empty columns', () => {
    const r = new OnlineResponse({ rowCount: 0, keyColumns: [{ name: 'driver_id', values: [] }], views: [{ viewName: 'v', ttlSeconds: 0, features: ['f'], columnNames: ['f'], results: [] }] });
    expect(r.toDict()).toEqual({ driver_id: [], f: [] });
    expect(r.toJSON()).toEqual({ metadata: { feature_names: ['driver_id', 'f'] }, results: [{ values: [], statuses: [], event_timestamps: [] }, { values: [], statuses: [], event_timestamps: [] }] });
  });
  it('columns(): the rows as read, each row state and event time, and statusOf agreeing with statuses()', () => {
    const r = build();
    const c = r.columns();
    expect(c.rowCount).toBe(6);
    expect(c.dropOutsideMaxAge).toBe(false);
    expect(c.keyColumns.map((k) => k.name)).toEqual(['driver_id']);
    const v = c.views[0]!;
    expect(v.columnNames).toEqual(['rate', 'trips']);
    expect([...v.rowStates]).toEqual([FieldStatus.PRESENT, 0, FieldStatus.PRESENT, FieldStatus.PRESENT, FieldStatus.OUTSIDE_MAX_AGE, FieldStatus.OUTSIDE_MAX_AGE]);
    expect([...v.eventMs]).toEqual([at(10).getTime(), 0, at(20, 250).getTime(), at(3600).getTime(), at(3601).getTime(), at(3600, -999).getTime()]);
    const names = ['INVALID', 'PRESENT', 'NULL_VALUE', 'NOT_FOUND', 'OUTSIDE_MAX_AGE'];
    const statuses = r.statuses();
    for (const f of v.features) {
      expect(v.results.map((row, i) => names[c.statusOf(v.rowStates[i]!, row[1]?.[f])])).toEqual(statuses[f]);
    }
    expect(build({ dropOutsideMaxAge: true }).columns().dropOutsideMaxAge).toBe(true);
  });
});
