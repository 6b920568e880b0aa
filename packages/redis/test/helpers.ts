import { randomBytes } from 'node:crypto';
import { Entity, FeastType, FeatureView, Field, ValueType, type EntityKeyProto, type FieldOptions, type RepoConfig } from '@feast-ts/core';
import { isCI, redisServerSpec, reportNoServer, findRedisBinaries, requireTestServer, type RedisServerHandle } from '@feast-ts/test-servers';
import { Redis } from 'ioredis';
import type { RedisOnlineStoreConfig } from '../src/index.js';

/** The driver entity of Feast's quickstart. */
export const driver = new Entity({ name: 'driver', joinKeys: ['driver_id'], valueType: ValueType.INT64 });

/** A view with an Int64 and a String feature. */
export function statsView(name = 'driver_hourly_stats', features: Array<[string, FieldOptions['dtype']]> = [['trips', FeastType.Int64], ['label', FeastType.String]]): FeatureView {
  return new FeatureView({ name, entities: [driver], schema: features.map(([n, dtype]) => new Field({ name: n, dtype })) });
}

/** `{ driver_id: id }` as an entity key. */
export function driverKey(id: number | bigint): EntityKeyProto {
  return { joinKeys: ['driver_id'], entityValues: [{ int64Val: BigInt(id) }] };
}

/** A project name of its own for one test. */
export function uniqueProject(prefix = 'rt'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A RepoConfig built by hand for the store. */
export function repoConfig(project: string, onlineStore: Partial<RedisOnlineStoreConfig> & { connection_string: string }): RepoConfig<RedisOnlineStoreConfig> {
  return {
    project,
    registry: '/nonexistent/registry.db',
    provider: 'local',
    onlineStore: { type: 'redis', ...onlineStore } as RedisOnlineStoreConfig,
    entityKeySerializationVersion: 3,
    repoPath: process.cwd(),
  };
}

/** The database index these tests use on a shared server (keys are also namespaced by unique projects). */
export const TEST_DB = 12;

/** Whether tests needing throwaway servers (cluster, sentinel, faults) can run; reports loudly (fails in CI) when not. */
export function throwawayServersAvailable(what: string): boolean {
  const bins = findRedisBinaries();
  if (typeof bins === 'string') {
    reportNoServer(what, [bins], 'Install redis-server and redis-tools (apt-get install redis-server).');
    return false;
  }
  return true;
}

/** The run's standalone Redis: FEAST_REDIS_URL, else a throwaway redis-server; undefined (after a banner) outside CI when neither. */
export async function standaloneServer(): Promise<RedisServerHandle | undefined> {
  return requireTestServer(redisServerSpec);
}

/** A raw ioredis client on the same server, to check bytes independently of the store. */
export function rawClient(server: { host: string; port: number }, db = TEST_DB): Redis {
  const password = /password=([^,]*)/.exec((server as { connectionString?: string }).connectionString ?? '')?.[1];
  return new Redis({ host: server.host, port: server.port, db, lazyConnect: true, ...(password ? { password } : {}) });
}

export { isCI };
