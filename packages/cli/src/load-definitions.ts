import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DefinitionError, Entity, FeatureService, FeatureView } from '@feast-ts/core';
import { tsImport } from 'tsx/esm/api';
import { CliError } from './errors.js';

/** File names `apply` looks for in the feature repo, in this order. */
export const DEFAULT_DEFINITION_FILES: readonly string[] = ['definitions.ts', 'definitions.mts', 'definitions.js', 'definitions.mjs'];

/**
 * The definitions module to load: `explicit` when given (it must exist), else
 * the first of {@link DEFAULT_DEFINITION_FILES} in `repoDir`.
 * @throws CliError (FILE_NOT_FOUND)
 */
export function findDefinitionsFile(repoDir: string, explicit?: string): string {
  if (explicit !== undefined) {
    const file = path.resolve(repoDir, explicit);
    if (!existsSync(file) || !statSync(file).isFile()) throw new CliError('FILE_NOT_FOUND', `The definitions file ${file} does not exist.`);
    return file;
  }
  for (const name of DEFAULT_DEFINITION_FILES) {
    const file = path.join(repoDir, name);
    if (existsSync(file)) return file;
  }
  throw new CliError(
    'FILE_NOT_FOUND',
    `No TypeScript definitions in ${repoDir}: expected one of ${DEFAULT_DEFINITION_FILES.join(', ')}, or pass --definitions <file>. ` +
      'Python definitions (*.py) are applied with Python Feast (`feast apply`); feast-ts reads the registry it writes, ' +
      'so there is nothing for feast-ts to apply: see them with `feast-ts feature-views list` and serve them with `feast-ts get-online-features`.',
  );
}

type Kind = 'entity' | 'view' | 'service';

/** What a definitions module exports for apply. */
export type Definition = Entity | FeatureView | FeatureService;

// The definitions module imports its own copy of @feast-ts/core (tsx loads it
// in a separate namespace, and the repo may install another version), so
// `instanceof` against this CLI's classes does not work: recognise the shape.
function kindOf(value: unknown): Kind | undefined {
  if (value instanceof FeatureView) return 'view';
  if (value instanceof Entity) return 'entity';
  if (value instanceof FeatureService) return 'service';
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || typeof v.toJSON !== 'function') return undefined;
  if (Array.isArray(v.schema) && Array.isArray(v.entities) && typeof v.timestampField === 'string') return 'view';
  if (Array.isArray(v.joinKeys) && !Array.isArray(v.schema)) return 'entity';
  if (Array.isArray(v.projections)) return 'service';
  return undefined;
}

function collect(value: unknown, out: unknown[], depth: number): void {
  if (Array.isArray(value) && depth < 4) for (const item of value) collect(item, out, depth + 1);
  else if (kindOf(value)) out.push(value);
}

/**
 * Picks the Entity and FeatureView instances out of a module's exports
 * (including exported arrays of them) and rebuilds each with this CLI's copy of
 * `@feast-ts/core`. The same name exported twice must describe the same object.
 *
 * @param label - names the module in errors
 * @throws DefinitionError for two different definitions with one name
 */
export function collectDefinitions(exports: Record<string, unknown>, label: string): Definition[] {
  const found: unknown[] = [];
  for (const value of Object.values(exports)) collect(value, found, 0);
  const byKey = new Map<string, { obj: Definition; json: string }>();
  for (const raw of found) {
    const kind = kindOf(raw)!;
    const json = (raw as { toJSON(): unknown }).toJSON();
    const obj: Definition =
      kind === 'view'
        ? raw instanceof FeatureView ? raw : FeatureView.fromJSON(json as ReturnType<FeatureView['toJSON']>)
        : kind === 'service'
          ? raw instanceof FeatureService ? raw : FeatureService.fromJSON(json as ReturnType<FeatureService['toJSON']>)
          : raw instanceof Entity ? raw : Entity.fromJSON(json as ReturnType<Entity['toJSON']>);
    const key = `${kind}:${obj.name}`;
    const text = JSON.stringify(json);
    const seen = byKey.get(key);
    if (seen && seen.json !== text) {
      const what = kind === 'view' ? 'feature views' : kind === 'service' ? 'feature services' : 'entities';
      throw new DefinitionError(`${label} exports two different ${what} named "${obj.name}".`);
    }
    if (!seen) byKey.set(key, { obj, json: text });
  }
  return [...byKey.values()].map((e) => e.obj);
}

/**
 * Imports a definitions module (TypeScript through tsx, or JavaScript) and
 * returns its exported entities and feature views. Each call loads the file
 * afresh, so edits between two calls in one process are seen.
 *
 * @throws CliError (DEFINITIONS_INVALID) when the module cannot be loaded or exports nothing to apply
 */
export async function loadDefinitions(file: string, label = path.basename(file)): Promise<Definition[]> {
  let exports: Record<string, unknown>;
  try {
    exports = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  } catch (err) {
    throw new CliError('DEFINITIONS_INVALID', `Loading ${label} failed: ${describeLoadError(err)}`, { cause: err });
  }
  let objects: Definition[];
  try {
    objects = collectDefinitions(exports, label);
  } catch (err) {
    throw new CliError('DEFINITIONS_INVALID', `${label}: ${(err as Error).message}`, { cause: err });
  }
  if (objects.length === 0) {
    throw new CliError(
      'DEFINITIONS_INVALID',
      `${label} exports no Entity, FeatureView or FeatureService. Export them (export const driver = new Entity({...})); to remove everything, run teardown.`,
    );
  }
  return objects;
}

function describeLoadError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (e?.code === 'ERR_MODULE_NOT_FOUND') {
    const pkg = /Cannot find package '([^']+)'/.exec(message)?.[1];
    if (pkg) return `it imports "${pkg}", which is not installed where the feature repo can see it. Install it in the repo: npm install ${pkg}`;
  }
  return message;
}
