/** Short names of the stores maintained in this repository, as in Feast's `ONLINE_STORE_CLASS_FOR_TYPE`. */
export const ONLINE_STORE_SHORT_NAMES: Readonly<Record<string, { moduleName: string; exportName: string }>> = Object.freeze({
  sqlite: { moduleName: '@feast-ts/sqlite', exportName: 'SqliteOnlineStore' },
  mysql: { moduleName: '@feast-ts/contrib-mysql', exportName: 'MySQLOnlineStore' },
});

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Splits `online_store.type` into the module to import and the export to use:
 * a short name (`sqlite`), `module#Export` (a package or a path relative to the
 * feature repo, like `./stores/redis.js#RedisOnlineStore`), or Feast's dotted
 * `module.Export` (split at the last dot). `undefined` when it is none of these.
 */
export function parseOnlineStoreType(type: string): { moduleName: string; exportName: string } | undefined {
  const short = ONLINE_STORE_SHORT_NAMES[type];
  if (short) return { ...short };
  const hash = type.lastIndexOf('#');
  if (hash > 0) {
    const exportName = type.slice(hash + 1);
    return IDENTIFIER.test(exportName) ? { moduleName: type.slice(0, hash), exportName } : undefined;
  }
  const dot = type.lastIndexOf('.');
  if (dot > 0) {
    const exportName = type.slice(dot + 1);
    return IDENTIFIER.test(exportName) ? { moduleName: type.slice(0, dot), exportName } : undefined;
  }
  return undefined;
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
