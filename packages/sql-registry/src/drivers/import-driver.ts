import { SqlRegistryDriverMissingError } from '../errors.js';

/**
 * Imports a database driver on first use, so only the one a URL needs is loaded (and installed).
 * A missing package is a {@link SqlRegistryDriverMissingError} naming it.
 */
export async function importDriver<T>(
  packageName: 'pg' | 'mysql2' | 'better-sqlite3',
  dialect: string,
  specifier: string = packageName === 'mysql2' ? 'mysql2/promise' : packageName,
): Promise<T> {
  let mod: { default?: unknown };
  try {
    mod = (await import(specifier)) as { default?: unknown };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((err as Error).message).includes(specifier.split('/')[0]!)) {
      throw new SqlRegistryDriverMissingError(packageName, dialect, err);
    }
    throw err;
  }
  return (mod.default ?? mod) as T;
}
