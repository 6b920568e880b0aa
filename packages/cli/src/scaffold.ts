/**
 * The files `feast-ts init` writes: a feature repo on the embedded SQLite
 * store with driver statistics, like Feast's own `feast init` template.
 */

/** Options of {@link scaffoldFiles}. */
export interface ScaffoldOptions {
  /** Feast project name. */
  project: string;
  /** Version range of the feast-ts packages for the repo's package.json. */
  version: string;
}

/** A project name Feast and SQLite accept, derived from a directory name. */
export function projectNameFrom(dirName: string): string {
  const name = dirName.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+/, '').replace(/_+$/, '');
  return name.length > 0 ? name : 'feature_repo';
}

function sampleCsv(): string {
  const lines = ['driver_id,event_timestamp,conv_rate,acc_rate,avg_daily_trips'];
  const base = Date.UTC(2025, 0, 1, 10);
  for (let d = 0; d < 5; d++) {
    for (let h = 0; h < 3; h++) {
      const ts = new Date(base + h * 3600_000).toISOString().replace('.000Z', 'Z');
      const conv = ((d * 17 + h * 7) % 100) / 100;
      const acc = ((d * 29 + h * 11 + 50) % 100) / 100;
      lines.push(`${1001 + d},${ts},${conv.toFixed(2)},${acc.toFixed(2)},${100 + d * 37 + h * 5}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The scaffold's files by path relative to the repo directory. */
export function scaffoldFiles({ project, version }: ScaffoldOptions): Record<string, string> {
  return {
    'feature_store.yaml': [
      `project: ${project}`,
      'registry: data/registry.db',
      'provider: local',
      'online_store:',
      '  type: sqlite',
      '  path: data/online.db',
      'entity_key_serialization_version: 3',
      '',
    ].join('\n'),
    'definitions.ts': `import { Entity, FeastType, FeatureView, Field, ValueType } from '@feast-ts/core';

// Every exported Entity and FeatureView is applied by \`feast-ts apply\`.

export const driver = new Entity({
  name: 'driver',
  joinKeys: ['driver_id'],
  valueType: ValueType.INT64,
  description: 'A driver',
});

export const driverHourlyStats = new FeatureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  schema: [
    new Field({ name: 'conv_rate', dtype: FeastType.Float32 }),
    new Field({ name: 'acc_rate', dtype: FeastType.Float32 }),
    new Field({ name: 'avg_daily_trips', dtype: FeastType.Int64, description: 'Average daily trips' }),
  ],
  ttl: 24 * 60 * 60,
});
`,
    'data/driver_stats.csv': sampleCsv(),
    'package.json':
      JSON.stringify(
        {
          name: project.toLowerCase().replace(/_/g, '-'),
          private: true,
          type: 'module',
          scripts: {
            apply: 'feast-ts apply',
            teardown: 'feast-ts teardown',
          },
          dependencies: {
            '@feast-ts/cli': `^${version}`,
            '@feast-ts/core': `^${version}`,
            '@feast-ts/sqlite': `^${version}`,
          },
        },
        null,
        2,
      ) + '\n',
    '.gitignore': 'node_modules/\ndata/online.db*\ndata/registry.db\n',
  };
}
