import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createIndexSql, createTableSql, selectSql } from '../src/sql.js';

// A read must look each requested key up in an index, never scan the table: with a
// large table a scan turns a millisecond read into a second. SQLite's planner picks
// the plan, so check it for every key-list size the store uses (powers of two to 256).
describe('the read query plan', () => {
  const db = new Database(':memory:');
  db.exec(createTableSql('p_v'));
  db.exec(createIndexSql('p_v'));
  const insert = db.prepare('INSERT INTO "p_v" (entity_key, feature_name, value, event_ts) VALUES (?, ?, ?, 0)');
  db.transaction(() => {
    for (let e = 0; e < 2000; e++) for (let f = 0; f < 5; f++) insert.run(Buffer.from(`key-${e}`), `f${f}`, Buffer.from([0x38, 1]));
  })();
  db.exec('ANALYZE');

  for (const [keys, features] of [[1, 0], [8, 0], [64, 0], [256, 0], [256, 4], [32, 256]] as const) {
    it(`${keys} keys${features ? ` and ${features} features` : ''}: index lookups only`, () => {
      const params = [...Array.from({ length: keys }, (_, i) => [i, Buffer.from(`key-${i}`)]).flat(), ...Array.from({ length: features }, (_, i) => `f${i}`)];
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${selectSql('p_v', keys, features)}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
      expect(plan.some((d) => /^SEARCH t USING (COVERING )?INDEX/.test(d))).toBe(true);
      expect(plan.filter((d) => /^SCAN t\b/.test(d))).toEqual([]);
    });
  }
});
