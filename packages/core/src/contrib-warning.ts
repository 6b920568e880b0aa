const warned = new Set<string>();

/**
 * Warns once per process that a contrib store is experimental, as Feast asks
 * of contrib plugins. Call it from the store's constructor or first use; later
 * calls for the same store name do nothing.
 *
 * Uses `process.emitWarning` (category `ExperimentalWarning`), so
 * `node --no-warnings` silences it.
 */
export function warnContribStoreOnce(storeName: string): void {
  if (warned.has(storeName)) return;
  warned.add(storeName);
  process.emitWarning(
    `${storeName} is a contrib online store: experimental, not guaranteed to be stable or to implement the whole contract, and not maintained by the feast-ts core maintainers.`,
    { type: 'ExperimentalWarning', code: 'FEAST_TS_CONTRIB_STORE' },
  );
}
