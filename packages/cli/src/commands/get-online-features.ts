import type { FeatureService, FeatureView } from '@feast-ts/core';
import type { Command } from '../command.js';
import { coerceEntityValue, joinKeyType } from '../coerce.js';
import { CliError, EXIT_OK, usageError } from '../errors.js';
import { JsonSyntaxError, parseJsonExact } from '../json-exact.js';
import { formatTable, stringifyExact } from '../output.js';

/** Splits `--features a:b,c:d` (repeatable) into feature references. */
export function parseFeatureRefs(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Parses `--entity driver_id=1001[,other=x]` into one entity row of strings. */
export function parseEntityArg(arg: string): Record<string, string> {
  const row: Record<string, string> = {};
  for (const part of arg.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw usageError(`--entity takes <join key>=<value>[,<join key>=<value>...], got "${arg}".`, 'get-online-features');
    row[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return row;
}

/** Parses `--entities '<json array of objects>'`, keeping integers beyond 2^53 exact. */
export function parseEntitiesJson(text: string): Array<Record<string, unknown>> {
  let value: unknown;
  try {
    value = parseJsonExact(text);
  } catch (err) {
    throw new CliError('INPUT_INVALID', `--entities is not valid JSON: ${err instanceof JsonSyntaxError ? err.message : String(err)}.`);
  }
  if (!Array.isArray(value) || value.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw new CliError('INPUT_INVALID', '--entities must be a JSON array of objects, like \'[{"driver_id": 1001}]\'.');
  }
  return value as Array<Record<string, unknown>>;
}

/**
 * Converts each join-key value of the entity rows by the type its entity declares in the requested
 * views (a feature service's `join_key_map` renames the row column a join key is read from).
 */
function coerceEntityRows(
  rows: Array<Record<string, unknown>>,
  views: Array<{ view: FeatureView; joinKeyMap?: Readonly<Record<string, string>> }>,
): Array<Record<string, unknown>> {
  const types = new Map<string, ReturnType<typeof joinKeyType>>();
  for (const { view, joinKeyMap = {} } of views) {
    for (const key of view.joinKeys) {
      const column = joinKeyMap[key] ?? key;
      if (!types.has(column)) types.set(column, joinKeyType(view, key));
    }
  }
  return rows.map((row, i) => {
    const out: Record<string, unknown> = { ...row };
    for (const [key, type] of types) {
      if (key in row && row[key] !== null) out[key] = coerceEntityValue(row[key], type, `entity row ${i}, join key "${key}"`);
    }
    return out;
  });
}

/** `feast-ts get-online-features`: read the latest features of some entities. */
export const getOnlineFeaturesCommand: Command = {
  name: 'get-online-features',
  summary: 'Read the latest feature values of entities from the online store',
  args: '',
  description: [
    'Reads features from the online store and prints them. --output json (the default) is Feast\'s',
    'to_dict() shape: one array per join key and per feature, aligned with the entity rows, null',
    'where an entity or a feature has no value (with --event-timestamps, a <column>__ts array of',
    'epoch seconds after each). Int64 values are printed as exact JSON integers, timestamps as ISO',
    'strings, bytes as base64. --output response prints Feast\'s feature-server body',
    '({"metadata": ..., "results": [{"values", "statuses", "event_timestamps"}]}, as feast serve',
    'answers), --output table a table. Give entities as --entities \'<json array of objects>\'',
    'and/or one --entity <key>=<value> per row; values are converted by the entity\'s valueType.',
  ].join('\n'),
  options: {
    features: { type: 'string', multiple: true, valueName: '<view:feature,...>', description: 'Feature references, comma-separated.' },
    'feature-service': { type: 'string', valueName: '<name>', description: 'Serve a feature service of the registry instead of --features.' },
    entities: { type: 'string', valueName: '<json>', description: 'Entity rows as a JSON array of objects.' },
    entity: { type: 'string', multiple: true, valueName: '<key=value[,...]>', description: 'One entity row.' },
    'full-feature-names': { type: 'boolean', description: 'Name feature columns <view or alias>__<feature>.' },
    output: { type: 'string', valueName: '<json|response|table>', description: 'Output format; default json.' },
    'event-timestamps': { type: 'boolean', description: 'Add a <column>__ts column (epoch seconds) after each column (json, table).' },
    compact: { type: 'boolean', description: 'Print JSON on one line.' },
  },
  positionals: { min: 0, max: 0 },
  examples: [
    'feast-ts get-online-features --features driver_hourly_stats:conv_rate,driver_hourly_stats:acc_rate --entity driver_id=1001 --entity driver_id=1002',
    'feast-ts get-online-features --features driver_hourly_stats:avg_daily_trips --entities \'[{"driver_id": 1001}]\' --output table',
    'feast-ts get-online-features --feature-service driver_activity_v1 --entity driver_id=1001',
    'feast-ts get-online-features --features driver_hourly_stats:conv_rate --entity driver_id=1001 --output response',
  ],
  async run(ctx, values) {
    const refs = parseFeatureRefs((values.features as string[] | undefined) ?? []);
    const serviceName = typeof values['feature-service'] === 'string' ? values['feature-service'] : undefined;
    if (serviceName !== undefined && refs.length > 0) throw usageError('give either --features or --feature-service, not both.', 'get-online-features');
    if (serviceName === undefined && refs.length === 0) {
      throw usageError('--features (like --features driver_hourly_stats:conv_rate) or --feature-service <name> is required.', 'get-online-features');
    }
    const output = typeof values.output === 'string' ? values.output : 'json';
    if (output !== 'json' && output !== 'table' && output !== 'response') {
      throw usageError(`unknown --output "${output}" (use json, response or table).`, 'get-online-features');
    }
    const rows: Array<Record<string, unknown>> = [];
    if (typeof values.entities === 'string') rows.push(...parseEntitiesJson(values.entities));
    for (const arg of (values.entity as string[] | undefined) ?? []) rows.push(parseEntityArg(arg));
    if (rows.length === 0) throw usageError('give entity rows with --entities \'[...]\' or --entity <key>=<value>.', 'get-online-features');

    const store = await ctx.openStore();
    try {
      const features: string[] | FeatureService = serviceName !== undefined ? await store.getFeatureService(serviceName) : refs;
      // Check the feature references first (no rows: nothing is read), so a bad
      // reference is reported before any entity value.
      await store.getOnlineFeatures({ features, entityRows: [] });
      const views = Array.isArray(features)
        ? await Promise.all(
            [...new Set(features.map((f) => f.slice(0, Math.max(0, f.indexOf(':')))).filter((n) => n.length > 0))].map(async (n) => ({ view: await store.getFeatureView(n) })),
          )
        : await Promise.all(features.projections.map(async (p) => ({ view: await store.getFeatureView(p.featureViewName), joinKeyMap: p.joinKeyMap })));
      const response = await store.getOnlineFeatures({
        features,
        entityRows: coerceEntityRows(rows, views),
        fullFeatureNames: values['full-feature-names'] === true,
      });
      const indent = values.compact === true ? 0 : 2;
      if (output === 'response') {
        ctx.out(JSON.stringify(response, null, indent));
        return EXIT_OK;
      }
      const result = response.toDict({ includeEventTimestamps: values['event-timestamps'] === true });
      if (output === 'table') {
        const columns = Object.keys(result);
        const table = rows.map((_, i) => columns.map((c) => result[c]![i]));
        ctx.io.stdout.write(formatTable(columns, table));
      } else {
        ctx.out(stringifyExact(result, indent));
      }
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
