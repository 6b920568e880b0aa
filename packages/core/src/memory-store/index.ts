/** The reference in-memory online store. */
export { MemoryOnlineStore } from './memory-online-store.js';
export { MemoryOnlineStoreConfig, MemoryDriver, type MemoryOnlineStoreOptions } from './memory-driver.js';
export { memoryDatabase, dropMemoryDatabase, type MemoryCell, type MemoryTable, type MemoryDatabase } from './memory-database.js';
