/** One stored (entity, feature) cell of {@link MemoryOnlineStore}, as Feast's SQL stores keep a row. */
export interface MemoryCell {
  /** The encoded `feast.types.Value`. */
  value: Uint8Array;
  /** Event time, epoch milliseconds. */
  eventMs: number;
  /** Created time, epoch milliseconds, or null. */
  createdMs: number | null;
}

/** A table: lowercase hex of the serialized entity key -> feature name -> cell. */
export type MemoryTable = Map<string, Map<string, MemoryCell>>;

/** A database: table name -> table. */
export type MemoryDatabase = Map<string, MemoryTable>;

// Shared by every copy of core in the process, so stores loaded through different paths see one another's data.
const STATE = Symbol.for('feast-ts.core.memory-online-store.databases');
const databases = ((globalThis as Record<symbol, unknown>)[STATE] ??= new Map<string, MemoryDatabase>()) as Map<string, MemoryDatabase>;

/** The named in-memory database (created on first use). */
export function memoryDatabase(name: string): MemoryDatabase {
  let db = databases.get(name);
  if (!db) databases.set(name, (db = new Map()));
  return db;
}

/** Forgets a named in-memory database and everything in it. */
export function dropMemoryDatabase(name: string): void {
  databases.delete(name);
}
