import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';
import type { OnlineStoreConfigSchema } from '../config/base-model.js';
import {
  FeastConfigError,
  NotAnOnlineStoreError,
  OnlineStoreExportMissingError,
  OnlineStorePackageMissingError,
} from '../errors.js';
import type { OnlineStoreClass } from '../online-store.js';
import { ONLINE_STORE_SHORT_NAMES, packageNameOf, parseOnlineStoreType } from './online-store-type.js';

/** What `online_store.type` resolved to. */
export interface ResolvedOnlineStore {
  storeClass: OnlineStoreClass;
  configSchema: OnlineStoreConfigSchema;
  moduleName: string;
  exportName: string;
}

/** Where to look for store packages. */
export interface ResolveOnlineStoreOptions {
  /** The feature repo directory: packages and relative paths resolve from here first. */
  repoPath: string;
  /** More directories or file URLs to resolve packages from, after the repo (e.g. the CLI's own location). */
  resolveFrom?: Array<string | URL>;
}

const STORE_METHODS = ['update', 'teardown', 'onlineWriteBatch', 'onlineRead'] as const;

function toBaseUrl(base: string | URL): string {
  if (base instanceof URL) return base.href;
  if (base.startsWith('file:')) return base;
  return pathToFileURL(base.endsWith(path.sep) ? base : base + path.sep).href;
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Finds the module's URL, or throws the error that says what to install. */
function locateModule(moduleName: string, type: string, options: ResolveOnlineStoreOptions): string {
  if (moduleName.startsWith('.') || path.isAbsolute(moduleName)) {
    const file = path.resolve(options.repoPath, moduleName);
    if (!existsSync(file)) {
      throw new OnlineStorePackageMissingError(moduleName, type, options.repoPath);
    }
    return pathToFileURL(file).href;
  }
  const bases = [options.repoPath, ...(options.resolveFrom ?? []), process.cwd()].map(toBaseUrl);
  let lastError: unknown;
  for (const base of bases) {
    try {
      return resolveImport(moduleName, base);
    } catch (err) {
      if (!isNotFound(err)) {
        throw new NotAnOnlineStoreError(moduleName, '', `the package cannot be resolved: ${(err as Error).message}`);
      }
      lastError = err;
    }
  }
  throw new OnlineStorePackageMissingError(packageNameOf(moduleName), type, options.repoPath, lastError);
}

/**
 * Loads the online store class and its config schema named by
 * `online_store.type`, the way Feast resolves a fully qualified class name.
 *
 * @throws FeastConfigError when the type has no recognisable form
 * @throws OnlineStorePackageMissingError when the package (or local file) is not there
 * @throws OnlineStoreExportMissingError when the module lacks the export
 * @throws NotAnOnlineStoreError when the export is not an OnlineStore class or its `<Name>Config` schema is missing
 */
export async function resolveOnlineStore(type: string, options: ResolveOnlineStoreOptions): Promise<ResolvedOnlineStore> {
  const parsed = parseOnlineStoreType(type);
  if (!parsed) {
    throw new FeastConfigError(
      `online_store.type "${type}" is not a known store. Use a short name (${Object.keys(ONLINE_STORE_SHORT_NAMES).join(', ')}), ` +
        `"package#ExportedOnlineStore", "package.ExportedOnlineStore" or "./path/to/file.js#ExportedOnlineStore".`,
      { keyPath: 'online_store.type' },
    );
  }
  const { moduleName, exportName } = parsed;
  const url = locateModule(moduleName, type, options);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if (isNotFound(err) && (err as Error).message.includes(moduleName)) {
      throw new OnlineStorePackageMissingError(packageNameOf(moduleName), type, options.repoPath, err);
    }
    throw new NotAnOnlineStoreError(moduleName, exportName, `importing the module failed: ${(err as Error).message}`);
  }

  const storeClass = mod[exportName];
  if (storeClass === undefined) {
    throw new OnlineStoreExportMissingError(moduleName, exportName, Object.keys(mod).filter((k) => k.endsWith('OnlineStore')));
  }
  if (!exportName.endsWith('OnlineStore')) {
    throw new NotAnOnlineStoreError(moduleName, exportName, 'online store class names must end in "OnlineStore" (a Feast rule). Rename the export.');
  }
  if (typeof storeClass !== 'function' || typeof storeClass.prototype !== 'object') {
    throw new NotAnOnlineStoreError(moduleName, exportName, `it is a ${typeof storeClass}, not a class. Export a class that extends OnlineStore.`);
  }
  const missing = STORE_METHODS.filter((m) => typeof (storeClass.prototype as Record<string, unknown>)[m] !== 'function');
  if (missing.length > 0) {
    throw new NotAnOnlineStoreError(moduleName, exportName, `it does not implement ${missing.join(', ')}. Extend OnlineStore from @feast-ts/core.`);
  }
  const configName = `${exportName}Config`;
  const configSchema = mod[configName] as { safeParse?: unknown } | undefined;
  if (!configSchema || typeof configSchema.safeParse !== 'function') {
    throw new NotAnOnlineStoreError(
      moduleName,
      exportName,
      `its module must also export the config schema "${configName}" (a zod schema built from FeastConfigBaseModel).`,
    );
  }
  return { storeClass: storeClass as OnlineStoreClass, configSchema: configSchema as OnlineStoreConfigSchema, moduleName, exportName };
}
