import { randomUUID } from 'node:crypto';
import { toBigInt, toBytes, toText, type SqlDriver, type SqlParam, type SqlSession } from './drivers/driver.js';
import { METADATA_KEYS, OBJECT_KINDS, OBJECT_TABLES, VIEW_KINDS, type ObjectKind } from './tables.js';

/** One stored object: a row of one of Feast's object tables. */
export interface StoredRow {
  /** The object's name (`<kind>_name`). */
  readonly name: string;
  /** The serialized object (`<kind>_proto`), exactly as stored. */
  readonly proto: Uint8Array;
  /** `last_updated_timestamp`, epoch seconds. */
  readonly lastUpdated: bigint;
}

/** Everything one project holds in the registry tables, read in one consistent snapshot. */
export interface ProjectSnapshot {
  readonly project: string;
  /** The `projects` row of the project (its `project_proto`), when there is one. */
  readonly projectRow: StoredRow | undefined;
  /** The rows of each kind of object, sorted by name. */
  readonly objects: Readonly<Record<ObjectKind, readonly StoredRow[]>>;
  /** The project's `feast_metadata` rows (`project_uuid`, `last_updated_timestamp`, ...). */
  readonly metadata: ReadonlyMap<string, string>;
}

/** One row an apply writes. */
export interface RowWrite {
  readonly kind: ObjectKind;
  readonly name: string;
  /**
   * The row's new proto, built from the stored one (`null` when there is none yet), or `null` to
   * leave the row as it is (the object did not change). Called inside the transaction, with the
   * row locked; may be called again if the transaction is retried.
   */
  build(existing: Uint8Array | null, now: Date): Uint8Array | null;
  /**
   * Kinds whose tables must not hold an object of the same name (Feast keeps view names unique
   * across view kinds); checked inside the transaction, `error` is thrown when one does.
   */
  readonly conflicts?: { readonly kinds: readonly ObjectKind[]; error(kind: ObjectKind): Error };
}

/** One row an apply deletes. */
export interface RowDelete {
  readonly kind: ObjectKind;
  readonly name: string;
}

/** What one apply does, in one transaction. */
export interface ApplyPlan {
  readonly project: string;
  readonly writes: readonly RowWrite[];
  readonly deletes: readonly RowDelete[];
  /** The `project_proto` of a project that has no `projects` row yet. */
  newProject(now: Date): Uint8Array;
  /** Feast's `purge_feast_metadata`: keep `feast_metadata` as it is. */
  readonly purgeFeastMetadata?: boolean;
}

/** What an apply did. */
export interface ApplyResult {
  /** Rows inserted or updated. */
  readonly written: number;
  /** Rows deleted. */
  readonly deleted: number;
  /** Transactions it took (more than 1 when a concurrent writer forced a retry). */
  readonly attempts: number;
}

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Epoch seconds of a date, as Feast's `int(datetime.timestamp())`. */
export function epochSeconds(d: Date): bigint {
  return BigInt(Math.floor(d.getTime() / 1000));
}

/** The names of every project in the `projects` table, sorted. */
export async function listProjects(driver: SqlDriver): Promise<Array<{ name: string; proto: Uint8Array }>> {
  const rows = await driver.transaction('read', (s) => s.query('SELECT project_id, project_proto FROM projects ORDER BY project_id'));
  return rows.map((r) => ({ name: toText(r['project_id']), proto: toBytes(r['project_proto']) }));
}

/**
 * Every project the registry knows: those of the `projects` table, of `feast_metadata` (an older
 * Feast wrote no `projects` rows) and of every object table, sorted.
 */
export async function listProjectNames(driver: SqlDriver): Promise<string[]> {
  const tables = ['projects', 'feast_metadata', ...OBJECT_KINDS.map((k) => OBJECT_TABLES[k].table)];
  const sql = tables.map((t) => `SELECT DISTINCT project_id FROM ${t}`).join(' UNION ');
  const rows = await driver.transaction('read', (s) => s.query(sql));
  return rows.map((r) => toText(r['project_id'])).sort();
}

/**
 * Reads every object of one project (two queries in one read-only transaction, so an apply in
 * progress is seen whole or not at all). Rows of other projects are never read.
 */
export async function readProject(driver: SqlDriver, project: string): Promise<ProjectSnapshot> {
  const union = [
    `SELECT 'projects' AS kind, project_name AS name, last_updated_timestamp AS ts, project_proto AS proto FROM projects WHERE project_id = ?`,
    ...OBJECT_KINDS.map((kind) => {
      const t = OBJECT_TABLES[kind];
      return `SELECT '${kind}' AS kind, ${t.nameColumn} AS name, last_updated_timestamp AS ts, ${t.protoColumn} AS proto FROM ${t.table} WHERE project_id = ?`;
    }),
  ].join(' UNION ALL ');
  const [rows, meta] = await driver.transaction('read', async (s) => [
    await s.query(union, Array.from({ length: OBJECT_KINDS.length + 1 }, () => project)),
    await s.query('SELECT metadata_key, metadata_value FROM feast_metadata WHERE project_id = ?', [project]),
  ]);
  const objects = Object.fromEntries(OBJECT_KINDS.map((k) => [k, [] as StoredRow[]])) as Record<ObjectKind, StoredRow[]>;
  let projectRow: StoredRow | undefined;
  for (const r of rows) {
    const row: StoredRow = { name: toText(r['name']), proto: toBytes(r['proto']), lastUpdated: toBigInt(r['ts']) };
    const kind = toText(r['kind']);
    if (kind === 'projects') projectRow = row;
    else objects[kind as ObjectKind].push(row);
  }
  for (const list of Object.values(objects)) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const metadata = new Map(meta.map((r) => [toText(r['metadata_key']), toText(r['metadata_value'])]));
  return { project, projectRow, objects, metadata };
}

function lockClause(driver: SqlDriver): string {
  // SQLite has no row locks: BEGIN IMMEDIATE already holds the database's write lock.
  return driver.dialect === 'sqlite' ? '' : ' FOR UPDATE';
}

function upsertSuffix(driver: SqlDriver, protoColumn: string, keys: string): string {
  if (driver.dialect === 'mysql') {
    return ` ON DUPLICATE KEY UPDATE ${protoColumn} = VALUES(${protoColumn}), last_updated_timestamp = VALUES(last_updated_timestamp)`;
  }
  return ` ON CONFLICT (${keys}) DO UPDATE SET ${protoColumn} = excluded.${protoColumn}, last_updated_timestamp = excluded.last_updated_timestamp`;
}

async function setMetadata(session: SqlSession, driver: SqlDriver, project: string, key: string, value: string, ts: bigint, onlyIfMissing: boolean): Promise<void> {
  const existing = await session.query(`SELECT metadata_value FROM feast_metadata WHERE project_id = ? AND metadata_key = ?${lockClause(driver)}`, [project, key]);
  if (existing.length > 0) {
    if (!onlyIfMissing) {
      await session.execute('UPDATE feast_metadata SET metadata_value = ?, last_updated_timestamp = ? WHERE project_id = ? AND metadata_key = ?', [value, ts, project, key]);
    }
    return;
  }
  // A concurrent first apply may insert the same key: its duplicate-key error retries the transaction.
  await session.execute('INSERT INTO feast_metadata (project_id, metadata_key, metadata_value, last_updated_timestamp) VALUES (?, ?, ?, ?)', [project, key, value, ts]);
}

async function applyOnce(driver: SqlDriver, plan: ApplyPlan): Promise<{ written: number; deleted: number }> {
  return driver.transaction('write', async (s) => {
    const now = new Date();
    const ts = epochSeconds(now);
    const project = plan.project;
    if (!plan.purgeFeastMetadata) await setMetadata(s, driver, project, METADATA_KEYS.projectUuid, randomUUID(), ts, true);
    const projectRows = await s.query(`SELECT project_id FROM projects WHERE project_id = ?${lockClause(driver)}`, [project]);
    if (projectRows.length === 0) {
      await s.execute('INSERT INTO projects (project_id, project_name, last_updated_timestamp, project_proto) VALUES (?, ?, ?, ?)', [project, project, ts, plan.newProject(now)]);
    }

    for (const w of plan.writes) {
      for (const other of w.conflicts?.kinds ?? []) {
        const t = OBJECT_TABLES[other];
        const hit = await s.query(`SELECT ${t.nameColumn} FROM ${t.table} WHERE project_id = ? AND ${t.nameColumn} = ?`, [project, w.name]);
        if (hit.length > 0) throw w.conflicts!.error(other);
      }
    }

    let written = 0;
    let deleted = 0;
    // Rows are locked kind by kind in one fixed order, so two applies cannot wait on each other in a cycle.
    for (const kind of OBJECT_KINDS) {
      const writes = plan.writes.filter((w) => w.kind === kind);
      const deletes = plan.deletes.filter((d) => d.kind === kind);
      if (writes.length === 0 && deletes.length === 0) continue;
      const t = OBJECT_TABLES[kind];
      if (writes.length > 0) {
        const names = writes.map((w) => w.name);
        const found = await s.query(
          `SELECT ${t.nameColumn} AS name, ${t.protoColumn} AS proto FROM ${t.table} WHERE project_id = ? AND ${t.nameColumn} IN (${placeholders(names.length)})${lockClause(driver)}`,
          [project, ...names],
        );
        const stored = new Map(found.map((r) => [toText(r['name']), toBytes(r['proto'])]));
        const inserts: SqlParam[] = [];
        const updates: SqlParam[] = [];
        for (const w of writes) {
          const existing = stored.get(w.name) ?? null;
          const proto = w.build(existing, now);
          if (proto === null) continue;
          (existing === null ? inserts : updates).push(w.name, project, ts, proto);
        }
        const columns = `(${t.nameColumn}, project_id, last_updated_timestamp, ${t.protoColumn})`;
        if (inserts.length > 0) {
          // A plain INSERT: a row another writer inserted since our SELECT fails it, and the retry merges onto that row.
          await s.execute(`INSERT INTO ${t.table} ${columns} VALUES ${Array.from({ length: inserts.length / 4 }, () => '(?, ?, ?, ?)').join(', ')}`, inserts);
          written += inserts.length / 4;
        }
        if (updates.length > 0) {
          // These rows are locked by the SELECT above: the upsert only ever updates.
          await s.execute(
            `INSERT INTO ${t.table} ${columns} VALUES ${Array.from({ length: updates.length / 4 }, () => '(?, ?, ?, ?)').join(', ')}` +
              upsertSuffix(driver, t.protoColumn, `${t.nameColumn}, project_id`),
            updates,
          );
          written += updates.length / 4;
        }
      }
      if (deletes.length > 0) {
        const names = deletes.map((d) => d.name);
        deleted += await s.execute(`DELETE FROM ${t.table} WHERE project_id = ? AND ${t.nameColumn} IN (${placeholders(names.length)})`, [project, ...names]);
        if (VIEW_KINDS.includes(kind)) {
          // As Feast's delete_feature_view: a deleted view's version history goes with it.
          await s.execute(`DELETE FROM feature_view_version_history WHERE project_id = ? AND feature_view_name IN (${placeholders(names.length)})`, [project, ...names]);
        }
      }
    }
    if ((written > 0 || deleted > 0) && !plan.purgeFeastMetadata) {
      await setMetadata(s, driver, project, METADATA_KEYS.lastUpdatedTimestamp, ts.toString(), ts, false);
    }
    return { written, deleted };
  });
}

/** How many transactions an apply may take when concurrent writers keep colliding with it. */
const MAX_ATTEMPTS = 10;

/**
 * Applies a plan in one transaction: each object row is read with a row lock, rebuilt from its
 * stored bytes, and written back; rows the plan does not name are not touched. When another
 * writer collides (deadlock, serialization failure, a key inserted first, SQLite busy), the whole
 * transaction is rolled back and run again.
 */
export async function applyRows(driver: SqlDriver, plan: ApplyPlan): Promise<ApplyResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await applyOnce(driver, plan);
      return { ...r, attempts: attempt };
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || driver.classify(err) !== 'retry') throw err;
      // Back off a little, randomly, so two writers do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
