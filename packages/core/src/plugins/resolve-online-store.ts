import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolveImport } from 'import-meta-resolve';
import type { OnlineStoreConfigSchema } from '../config/base-model.js';
import {
  FeastConfigError,
  NotAnOnlineStoreError,
  OnlineStoreExportMissingError,
  OnlineStorePackageMissingError,
} from '../errors.js';
import type { OnlineStoreClass } from '../online-store.js';
import { classifyOnlineStoreType, ONLINE_STORE_SHORT_NAMES, packageNameOf } from './online-store-type.js';
import { OnlineStoreDependencyMissingError, OnlineStoreNotSupportedError } from './store-errors.js';

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
  /** Store modules already imported, by the module name `online_store.type` gives (see {@link LoadRepoConfigOptions.storeModules}). */
  storeModules?: Readonly<Record<string, object>>;
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

function asPath(fileOrUrl: string): string {
  if (!fileOrUrl.startsWith('file:')) return fileOrUrl;
  try {
    return fileURLToPath(fileOrUrl);
  } catch {
    return fileOrUrl;
  }
}

/**
 * The module Node could not find and who imported it, from its error message:
 * ESM `Cannot find package 'x' imported from /a/b.js`, `Cannot find module
 * '/a/c.js' imported from /a/b.js`, or CommonJS `Cannot find module 'x'` with a
 * `Require stack`.
 */
export function missingModuleOf(err: unknown): { missing: string; importedFrom: string | undefined } | undefined {
  if (!isNotFound(err)) return undefined;
  const message = String((err as Error).message ?? '');
  const esm = /Cannot find (?:package|module) '([^']+)' imported from (.+?)\s*$/m.exec(message);
  if (esm) return { missing: esm[1]!, importedFrom: asPath(esm[2]!) };
  const cjs = /Cannot find module '([^']+)'/.exec(message);
  if (cjs) return { missing: cjs[1]!, importedFrom: /Require stack:\s*\n- (.+)/.exec(message)?.[1]?.trim() };
  return undefined;
}

/** Finds the module's URL, or throws the error that says what to install. */
function locateModule(moduleName: string, exportName: string, type: string, options: ResolveOnlineStoreOptions): string {
  if (moduleName.startsWith('.') || path.isAbsolute(moduleName) || /^[A-Za-z]:[\\/]/.test(moduleName)) {
    const file = path.resolve(options.repoPath, moduleName);
    if (!existsSync(file)) {
      throw new OnlineStorePackageMissingError(moduleName, type, options.repoPath);
    }
    if (!statSync(file).isFile()) {
      throw new NotAnOnlineStoreError(moduleName, exportName, `${file} is not a file; name the module file, such as ./stores/my-store.js#MyOnlineStore.`);
    }
    return pathToFileURL(file).href;
  }
  const bases = [options.repoPath, ...(options.resolveFrom ?? []), process.cwd()].map(toBaseUrl);
  let lastError: unknown;
  for (const base of bases) {
    let url: string;
    try {
      url = resolveImport(moduleName, base);
    } catch (err) {
      if (!isNotFound(err)) {
        throw new NotAnOnlineStoreError(moduleName, exportName, `the package cannot be resolved: ${(err as Error).message}`);
      }
      const missing = missingModuleOf(err)?.missing;
      if (missing !== undefined && (path.isAbsolute(missing) || missing.startsWith('file:'))) {
        // The package directory is there but the file its package.json points at is not (not built, or half installed).
        throw new NotAnOnlineStoreError(
          moduleName,
          exportName,
          `the package is installed (${asPath(missing)}), but the entry file its package.json names does not exist. Build or reinstall the package.`,
        );
      }
      lastError = err;
      continue;
    }
    if (!url.startsWith('file:')) {
      throw new FeastConfigError(
        `online_store.type "${type}" resolves to ${url}, which is not a file module; name a store package or a file.`,
        { keyPath: 'online_store.type' },
      );
    }
    return url;
  }
  throw new OnlineStorePackageMissingError(packageNameOf(moduleName), type, options.repoPath, lastError);
}

/**
 * Loads the online store class and its config schema named by
 * `online_store.type`, the way Feast resolves a fully qualified class name.
 *
 * @throws FeastConfigError when the type has no recognisable form, or has a URL scheme (`data:`, `https:`, ...), which is never imported
 * @throws OnlineStoreNotSupportedError when it names a Feast store feast-ts has no adapter for (dynamodb, milvus, a `feast.infra...` class, ...)
 * @throws OnlineStorePackageMissingError when the package (or local file) is not there
 * @throws OnlineStoreDependencyMissingError when the package is there but a module it imports is not
 * @throws OnlineStoreExportMissingError when the module lacks the export
 * @throws NotAnOnlineStoreError when the export is not an OnlineStore class or its `<Name>Config` schema is missing
 */
export async function resolveOnlineStore(type: string, options: ResolveOnlineStoreOptions): Promise<ResolvedOnlineStore> {
  const form = classifyOnlineStoreType(type);
  if (form.kind === 'feast-only') {
    throw new OnlineStoreNotSupportedError(type, form.label, form.feastClass, Object.keys(ONLINE_STORE_SHORT_NAMES));
  }
  if (form.kind === 'refused') {
    throw new FeastConfigError(
      `online_store.type "${type.length > 80 ? `${type.slice(0, 80)}...` : type}" is refused: ${form.reason}. ` +
        'Name a store package ("some-package#MyOnlineStore"), a file ("./stores/my-store.js#MyOnlineStore") or a short name.',
      { keyPath: 'online_store.type' },
    );
  }
  if (form.kind === 'invalid') {
    throw new FeastConfigError(
      `online_store.type "${type}" is not a known store. Use a short name (${Object.keys(ONLINE_STORE_SHORT_NAMES).join(', ')}), ` +
        `"package#ExportedOnlineStore", "package.ExportedOnlineStore" or "./path/to/file.js#ExportedOnlineStore".`,
      { keyPath: 'online_store.type' },
    );
  }
  const { moduleName, exportName } = form;
  const given = options.storeModules !== undefined && Object.hasOwn(options.storeModules, moduleName) ? options.storeModules[moduleName] : undefined;
  let mod: Record<string, unknown>;
  if (given !== undefined) {
    // Handed in by the application (a bundle has no package on disk to import); checked as an import would be.
    if (given === null || typeof given !== 'object') {
      throw new NotAnOnlineStoreError(moduleName, exportName, `storeModules["${moduleName}"] must be the module's namespace object (import * as store from "${moduleName}"), got ${given === null ? 'null' : typeof given}.`);
    }
    mod = given as Record<string, unknown>;
  } else {
    const url = locateModule(moduleName, exportName, type, options);
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (err) {
      const missing = missingModuleOf(err);
      if (missing) throw new OnlineStoreDependencyMissingError(moduleName, missing.missing, missing.importedFrom, err);
      throw new NotAnOnlineStoreError(moduleName, exportName, `importing the module failed: ${(err as Error).message}`);
    }
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
