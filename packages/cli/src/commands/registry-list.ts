import { valueTypeName, type Entity, type FeatureService, type FeatureView } from '@feast-ts/core';
import type { Command } from '../command.js';
import { EXIT_OK, usageError } from '../errors.js';
import { formatTable, stringifyExact } from '../output.js';

const typeName = (t: number | undefined): string => (t === undefined ? '' : (valueTypeName(t) ?? String(t)));

const OUTPUT = { type: 'string', valueName: '<table|json>', description: 'Output format; default table.' } as const;

function outputOf(values: Record<string, unknown>, command: string): 'table' | 'json' {
  const output = typeof values.output === 'string' ? values.output : 'table';
  if (output !== 'table' && output !== 'json') throw usageError(`unknown --output "${output}" (use table or json).`, command);
  return output;
}

function requireList(positionals: string[], command: string): void {
  if (positionals[0] !== 'list') throw usageError(`"${command}" has one subcommand, list: feast-ts ${command} list.`, command);
}

const entityRow = (e: Entity) => ({ name: e.name, join_key: e.joinKey, value_type: typeName(e.valueType) || null, description: e.description });
const viewRow = (v: FeatureView) => ({
  name: v.name,
  type: v.kind === 'stream' ? 'StreamFeatureView' : 'FeatureView',
  entities: v.isEntityless ? [] : v.entities.map((e) => e.name),
  features: v.features.map((f) => f.name),
  online: v.online,
  ttl: v.ttl,
});
const serviceRow = (s: FeatureService) => ({
  name: s.name,
  features: s.projections.flatMap((p) => p.featureNames.map((f) => `${p.nameToUse}:${f}`)),
});

/** `feast-ts entities list`, as Feast's `feast entities list`. */
export const entitiesCommand: Command = {
  name: 'entities',
  summary: "List the project's entities (entities list)",
  args: 'list',
  description: "Lists the entities of the project in the registry (Feast's registry.db or SQL registry), as `feast entities list` does.",
  options: { output: OUTPUT },
  positionals: { min: 1, max: 1 },
  examples: ['feast-ts entities list', 'feast-ts entities list --output json'],
  async run(ctx, values, positionals) {
    requireList(positionals, 'entities');
    const output = outputOf(values, 'entities');
    const store = await ctx.openStore();
    try {
      const rows = (await store.listEntities()).map(entityRow);
      if (output === 'json') ctx.out(stringifyExact(rows, 2));
      else ctx.io.stdout.write(formatTable(['NAME', 'JOIN KEY', 'TYPE', 'DESCRIPTION'], rows.map((r) => [r.name, r.join_key, r.value_type ?? '', r.description])));
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

/** `feast-ts feature-views list`: feature views and stream feature views. */
export const featureViewsCommand: Command = {
  name: 'feature-views',
  summary: "List the project's feature views and stream feature views (feature-views list)",
  args: 'list',
  description: [
    "Lists the project's feature views, stream feature views and on-demand feature views, as",
    '`feast feature-views list` does. On-demand views are listed but cannot be served by feast-ts (they run Python).',
  ].join('\n'),
  options: { output: OUTPUT },
  positionals: { min: 1, max: 1 },
  examples: ['feast-ts feature-views list'],
  async run(ctx, values, positionals) {
    requireList(positionals, 'feature-views');
    const output = outputOf(values, 'feature-views');
    const store = await ctx.openStore();
    try {
      const views = [...(await store.listFeatureViews()), ...(await store.listStreamFeatureViews())].map(viewRow);
      const snapshot = await (await store.getRegistry()).load(store.config.project);
      const onDemand = [...snapshot.onDemandFeatureViewNames].map((name) => ({ name, type: 'OnDemandFeatureView', entities: [] as string[], features: [] as string[], online: true, ttl: 0 }));
      const rows = [...views, ...onDemand];
      if (output === 'json') ctx.out(stringifyExact(rows, 2));
      else ctx.io.stdout.write(formatTable(['NAME', 'ENTITIES', 'TYPE'], rows.map((r) => [r.name, r.entities.join(', ') || (r.type === 'OnDemandFeatureView' ? 'n/a' : ''), r.type])));
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

/** `feast-ts feature-services list`. */
export const featureServicesCommand: Command = {
  name: 'feature-services',
  summary: "List the project's feature services (feature-services list)",
  args: 'list',
  description: "Lists the project's feature services and the features each serves (`<view or alias>:<feature>`), as `feast feature-services list` does.",
  options: { output: OUTPUT },
  positionals: { min: 1, max: 1 },
  examples: ['feast-ts feature-services list'],
  async run(ctx, values, positionals) {
    requireList(positionals, 'feature-services');
    const output = outputOf(values, 'feature-services');
    const store = await ctx.openStore();
    try {
      const rows = (await store.listFeatureServices()).map(serviceRow);
      if (output === 'json') ctx.out(stringifyExact(rows, 2));
      else ctx.io.stdout.write(formatTable(['NAME', 'FEATURES'], rows.map((r) => [r.name, r.features.join(', ')])));
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

/** `feast-ts registry-dump`: the project's registry objects as JSON. */
export const registryDumpCommand: Command = {
  name: 'registry-dump',
  summary: "Print the project's registry objects as JSON (registry-dump)",
  args: '',
  description: [
    "Prints every object of the project in the registry (entities, data sources, feature views, stream and",
    'on-demand feature views, feature services, saved datasets, permissions, ...) as JSON, decoded from',
    "Feast's protobuf messages with camelCase field names, as `feast registry-dump` does. int64 values are exact.",
  ].join('\n'),
  options: {},
  positionals: { min: 0, max: 0 },
  examples: ['feast-ts registry-dump'],
  async run(ctx) {
    const store = await ctx.openStore();
    try {
      const dump = await (await store.getRegistry()).dump(store.config.project);
      ctx.out(stringifyExact(dump.objects, 2));
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
