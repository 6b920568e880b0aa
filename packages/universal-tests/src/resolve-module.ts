import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const EXTENSIONS = ['', '.ts', '.mts', '.js', '.mjs', '.cjs', '.cts'];
const CONDITIONS = new Set(['import', 'node', 'module', 'default']);

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `file` as given, or with one of {@link EXTENSIONS}, or its `index` file; undefined when none exists. */
function findFile(file: string): string | undefined {
  for (const ext of EXTENSIONS) if (isFile(file + ext)) return file + ext;
  for (const ext of EXTENSIONS.slice(1)) if (isFile(path.join(file, `index${ext}`))) return path.join(file, `index${ext}`);
  return undefined;
}

function isPathLike(specifier: string): boolean {
  return specifier.startsWith('.') || path.isAbsolute(specifier) || specifier.startsWith('file:');
}

/** The first target of an `exports` entry that matches Node's ESM conditions. */
function pickTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const picked = pickTarget(t);
      if (picked !== undefined) return picked;
    }
    return undefined;
  }
  if (target !== null && typeof target === 'object') {
    for (const [condition, t] of Object.entries(target)) {
      if (!CONDITIONS.has(condition)) continue;
      const picked = pickTarget(t);
      if (picked !== undefined) return picked;
    }
  }
  return undefined;
}

/** Resolves `./sub` (or `.`) through a package.json `exports` field, with single-`*` patterns. */
function resolveExports(exportsField: unknown, subpath: string): string | undefined {
  const isSubpathMap =
    exportsField !== null && typeof exportsField === 'object' && !Array.isArray(exportsField) &&
    Object.keys(exportsField).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? pickTarget(exportsField) : undefined;
  const map = exportsField as Record<string, unknown>;
  if (subpath in map) return pickTarget(map[subpath]);
  for (const [key, target] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const [prefix, suffix] = [key.slice(0, star), key.slice(star + 1)];
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      const picked = pickTarget(target);
      return picked?.replaceAll('*', subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return undefined;
}

/** The entry file of `subpath` inside the package at `pkgDir`, per its package.json. */
function resolveInPackage(pkgDir: string, subpath: string): string | undefined {
  const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
    exports?: unknown;
    module?: unknown;
    main?: unknown;
  };
  if (manifest.exports !== undefined) {
    const target = resolveExports(manifest.exports, subpath);
    return target === undefined ? undefined : findFile(path.resolve(pkgDir, target));
  }
  if (subpath !== '.') return findFile(path.resolve(pkgDir, subpath));
  const main = typeof manifest.module === 'string' ? manifest.module : typeof manifest.main === 'string' ? manifest.main : 'index';
  return findFile(path.resolve(pkgDir, main));
}

function readPackageName(dir: string): string | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves a configs module specifier to a file URL, the way the user means
 * it from `cwd`: a path (relative to `cwd`, absolute, or a `file:` URL; the
 * extension may be left out), or a package name with an optional subpath,
 * looked up in `node_modules` from `cwd` upwards (a package may also name
 * itself). Returns `undefined` when nothing matches.
 */
export function resolveModuleSpecifier(specifier: string, cwd: string): string | undefined {
  if (specifier.startsWith('file:')) return specifier;
  if (isPathLike(specifier)) {
    const file = findFile(path.resolve(cwd, specifier));
    return file === undefined ? undefined : pathToFileURL(file).href;
  }
  // A bare name that is a file next to cwd ("tests/configs.ts") is meant as a path.
  const local = findFile(path.resolve(cwd, specifier));
  if (local !== undefined && !specifier.startsWith('@')) return pathToFileURL(local).href;

  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const pkgName = parts.slice(0, nameLength).join('/');
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidates = [path.join(dir, 'node_modules', pkgName)];
    if (readPackageName(dir) === pkgName) candidates.unshift(dir);
    for (const pkgDir of candidates) {
      if (!existsSync(path.join(pkgDir, 'package.json'))) continue;
      const file = resolveInPackage(pkgDir, subpath);
      if (file !== undefined) return pathToFileURL(file).href;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
