import path from 'node:path';
import type { Entity, FeatureService, FeatureView } from '@feast-ts/core';
import { DUMMY_ENTITY_ID, DUMMY_ENTITY_NAME, Entity as EntityClass, FeatureService as FeatureServiceClass, FeatureView as FeatureViewClass } from '@feast-ts/core';
import type { Command } from '../command.js';
import { EXIT_OK } from '../errors.js';
import { findDefinitionsFile, loadDefinitions } from '../load-definitions.js';

type Change = 'Created' | 'Updated' | 'Deleted';

/**
 * What the registry records of an object, to tell a changed definition from an unchanged one: a
 * view read back from Feast's registry lists its join keys' types in its schema (from
 * `entity_columns`) whether or not the definition did, so join-key fields are left out.
 */
function recorded(obj: Entity | FeatureView | FeatureService): string {
  if (obj instanceof FeatureViewClass) {
    const json = obj.toJSON();
    const keys = new Set(obj.joinKeys);
    return JSON.stringify({ ...json, schema: json.schema.filter((f) => !keys.has(f.name)) });
  }
  return JSON.stringify(obj.toJSON());
}

function diff<T extends Entity | FeatureView | FeatureService>(before: Map<string, T>, after: Map<string, T>): Array<[Change, string]> {
  const changes: Array<[Change, string]> = [];
  for (const [name, obj] of after) {
    const old = before.get(name);
    if (!old) changes.push(['Created', name]);
    else if (recorded(old) !== recorded(obj)) changes.push(['Updated', name]);
  }
  for (const name of before.keys()) if (!after.has(name)) changes.push(['Deleted', name]);
  return changes;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `feast-ts apply`: register the repo's definitions and create their online tables. */
export const applyCommand: Command = {
  name: 'apply',
  summary: 'Register the definitions module and create (or delete) online tables',
  args: '',
  description: [
    'Loads the feature repo\'s definitions module (definitions.ts, .mts, .js or .mjs in the repo, or',
    '--definitions <file>), collects every exported Entity, FeatureView and FeatureService (arrays of them too), and',
    'applies them as the whole project: new and changed views get their online tables, and views',
    'that are no longer defined are deleted with their tables. Applying again changes nothing.',
  ].join('\n'),
  options: {
    definitions: { type: 'string', valueName: '<file>', description: 'The definitions module (.ts, .mts, .js or .mjs), relative to the repo.' },
  },
  positionals: { min: 0, max: 0 },
  examples: ['feast-ts apply', 'feast-ts -C feature_repo apply --definitions defs/features.ts'],
  async run(ctx, values) {
    const store = await ctx.openStore();
    try {
      const repoDir = store.config.repoPath;
      const file = findDefinitionsFile(repoDir, typeof values.definitions === 'string' ? ctx.resolvePath(values.definitions) : undefined);
      const objects = await loadDefinitions(file, path.relative(ctx.io.cwd, file) || path.basename(file));

      const views = new Map<string, FeatureView>();
      const entities = new Map<string, Entity>();
      const services = new Map<string, FeatureService>();
      for (const obj of objects) {
        if (obj instanceof FeatureServiceClass) {
          services.set(obj.name, obj);
        } else if (obj instanceof FeatureViewClass) {
          views.set(obj.name, obj);
          for (const e of obj.entities) entities.set(e.name, e);
          // Registered with entityless views, as feast apply does.
          if (obj.isEntityless) entities.set(DUMMY_ENTITY_NAME, new EntityClass({ name: DUMMY_ENTITY_NAME, joinKeys: [DUMMY_ENTITY_ID] }));
        } else entities.set(obj.name, obj);
      }
      const beforeEntities = new Map((await store.listEntities()).map((e) => [e.name, e] as const));
      const beforeViews = new Map([...(await store.listFeatureViews()), ...(await store.listStreamFeatureViews())].map((v) => [v.name, v] as const));
      const beforeServices = new Map((await store.listFeatureServices()).map((s) => [s.name, s] as const));

      await store.apply(objects, { partial: false });

      const changes = [
        ...diff(beforeEntities, entities).map(([c, n]) => `${c} entity ${n}`),
        ...diff(beforeViews, views).map(([c, n]) => `${c} feature view ${n}`),
        ...diff(beforeServices, services).map(([c, n]) => `${c} feature service ${n}`),
      ];
      for (const line of changes) ctx.out(line);
      const what =
        `${plural(entities.size, 'entity', 'entities')} and ${plural(views.size, 'feature view', 'feature views')}` +
        (services.size > 0 ? ` and ${plural(services.size, 'feature service', 'feature services')}` : '');
      const storeType = store.config.onlineStore.type;
      if (changes.length === 0) ctx.out(`No changes: ${what} of project "${store.config.project}" are up to date (online store: ${storeType}).`);
      else ctx.out(`Applied ${what} to project "${store.config.project}" (online store: ${storeType}).`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
