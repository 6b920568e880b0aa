import path from 'node:path';
import {
  FEAST_CLASS_PATHS,
  FEAST_ONLY_STORES,
  FEAST_PYTHON_PREFIX,
  ONLINE_STORE_SHORT_NAMES,
  type FeastOnlyStore,
  type StoreModuleRef,
} from './feast-online-stores.js';

export { ONLINE_STORE_SHORT_NAMES } from './feast-online-stores.js';

/**
 * What an `online_store.type` value names:
 * - `module`: a module to import and the export to use (a short name, a Feast
 *   class path of a store feast-ts has, `module#Export` or `module.Export`);
 * - `feast-only`: one of Feast's Python stores that feast-ts has no adapter for;
 * - `refused`: a form that is never imported (a URL such as `data:` or `https:`);
 * - `invalid`: none of the accepted forms.
 */
export type OnlineStoreTypeForm =
  | ({ kind: 'module'; via: 'short-name' | 'feast-class' | 'module-export' } & StoreModuleRef)
  | ({ kind: 'feast-only'; name: string } & FeastOnlyStore)
  | { kind: 'refused'; reason: string }
  | { kind: 'invalid' };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/;
/** An npm package name (optionally scoped), optionally followed by a subpath; no `.`/`..` segments. */
const PACKAGE_SPECIFIER = /^(?:@[a-z0-9~][\w.~-]*\/)?[a-z0-9~][\w.~-]*(?:\/[\w.~@+-]+)*$/i;

function isFilePath(specifier: string): boolean {
  return /^\.\.?[\\/]/.test(specifier) || path.isAbsolute(specifier) || (process.platform === 'win32' && WINDOWS_DRIVE.test(specifier));
}

function isPackageSpecifier(specifier: string): boolean {
  return PACKAGE_SPECIFIER.test(specifier) && !specifier.split('/').some((s) => s === '.' || s === '..');
}

/** True when `type` starts with a URL scheme (`data:`, `https:`, `file:`, `node:`, ...). */
function hasUrlScheme(type: string): boolean {
  return URL_SCHEME.test(type) && !(process.platform === 'win32' && WINDOWS_DRIVE.test(type));
}

function moduleForm(moduleName: string, exportName: string): OnlineStoreTypeForm {
  if (!IDENTIFIER.test(exportName)) return { kind: 'invalid' };
  if (!isFilePath(moduleName) && !isPackageSpecifier(moduleName)) return { kind: 'invalid' };
  return { kind: 'module', via: 'module-export', moduleName, exportName };
}

/**
 * Classifies `online_store.type`. Only package names, `package#Export`,
 * Feast's dotted `package.Export`, Feast's class paths and relative or
 * absolute file paths (`./stores/redis.js#RedisOnlineStore`) are ever
 * imported; anything with a URL scheme is refused.
 */
export function classifyOnlineStoreType(type: string): OnlineStoreTypeForm {
  const short = ONLINE_STORE_SHORT_NAMES[type];
  if (short) return { kind: 'module', via: 'short-name', ...short };
  const ours = FEAST_CLASS_PATHS[type];
  if (ours) return { kind: 'module', via: 'feast-class', ...ONLINE_STORE_SHORT_NAMES[ours]! };
  const feastOnly = FEAST_ONLY_STORES[type];
  if (feastOnly) return { kind: 'feast-only', name: type, ...feastOnly };
  if (type.startsWith(FEAST_PYTHON_PREFIX)) {
    const known = Object.entries(FEAST_ONLY_STORES).find(([, s]) => s.feastClass === type);
    return known ? { kind: 'feast-only', name: known[0], ...known[1] } : { kind: 'feast-only', name: type, label: type, feastClass: type };
  }
  if (hasUrlScheme(type)) {
    return {
      kind: 'refused',
      reason: `it starts with the URL scheme "${type.slice(0, type.indexOf(':') + 1)}", and feast-ts imports only packages and files`,
    };
  }
  const hash = type.lastIndexOf('#');
  if (hash > 0) return moduleForm(type.slice(0, hash), type.slice(hash + 1));
  const dot = type.lastIndexOf('.');
  if (dot > 0) return moduleForm(type.slice(0, dot), type.slice(dot + 1));
  return { kind: 'invalid' };
}

/**
 * Splits `online_store.type` into the module to import and the export to use:
 * a short name (`sqlite`), a Feast class path of a store feast-ts has,
 * `module#Export` (a package or a path relative to the feature repo, like
 * `./stores/redis.js#RedisOnlineStore`), or Feast's dotted `module.Export`
 * (split at the last dot). `undefined` when it is none of these (see
 * {@link classifyOnlineStoreType} for why).
 */
export function parseOnlineStoreType(type: string): StoreModuleRef | undefined {
  const form = classifyOnlineStoreType(type);
  return form.kind === 'module' ? { moduleName: form.moduleName, exportName: form.exportName } : undefined;
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
