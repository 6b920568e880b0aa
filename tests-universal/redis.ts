/**
 * The universal suite's configs for `@feast-ts/redis`:
 *
 * - `redis`: the run's Redis server (`FEAST_REDIS_URL`, such as the machine's
 *   redis://127.0.0.1:6379, else a throwaway redis-server), database 12, with
 *   Feast's newest-event-wins write rule;
 * - `redis-skip-dedup`: the same server with `skip_dedup: true` (last write wins);
 * - `redis-cluster`: a throwaway 3-master Redis Cluster from the local
 *   redis-server binary, on free ports, stopped after the run.
 *
 *   FULL_REPO_CONFIGS_MODULE=./redis.ts feast-universal-tests   (from tests-universal/)
 *
 * Every check uses projects of its own, and the creators delete any key of
 * the suite's projects (`ut_...`) that a failed check left behind. With no
 * server to be had the run says so loudly and every check is reported as
 * skipped; with `CI` set, loading this module fails instead.
 */
import { UNIVERSAL_CHECK_IDS, type IntegrationTestRepoConfig, type OnlineStoreConfigObject, type OnlineStoreCreator } from '@feast-ts/universal-tests';
import {
  acquireTestServer,
  findRedisBinaries,
  redisServerSpec,
  reportNoServer,
  startRedisCluster,
  type RedisServerHandle,
  type RedisTestCluster,
} from '@feast-ts/test-servers';
import { Redis } from 'ioredis';

/** The store's type as written in feature_store.yaml. */
const STORE_TYPE = process.env.FEAST_REDIS_STORE_TYPE ?? '@feast-ts/redis#RedisOnlineStore';
/** The database index the suite uses on a shared server. */
const DB = 12;

/** Deletes every key left by the suite's projects (`...ut_<12 hex digits>`) on one node. */
async function deleteSuiteKeys(node: Redis): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = (await node.callBuffer('SCAN', cursor, 'MATCH', '*ut_[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]', 'COUNT', '1000')) as [Buffer, Buffer[]];
    cursor = next.toString();
    for (const k of keys) await node.del(k);
  } while (cursor !== '0');
}

/** The run's standalone server, acquired once and shared by the standalone configs. */
let standalone: Promise<RedisServerHandle | undefined> | undefined;
let standaloneUsers = 0;

function password(connectionString: string): string | undefined {
  return /(?:^|,)password=([^,]*)/.exec(connectionString)?.[1];
}

/** A database of the run's Redis server; `skip_dedup` from the subclass. */
class StandaloneRedisCreator implements OnlineStoreCreator {
  protected readonly extra: Record<string, unknown> = {};
  #server: RedisServerHandle | undefined;

  constructor(readonly projectName: string) {}

  async createOnlineStore(): Promise<OnlineStoreConfigObject> {
    standaloneUsers++;
    standalone ??= acquireTestServer(redisServerSpec).then((a) => a.server);
    this.#server = await standalone;
    if (!this.#server) throw new Error('No Redis server for the universal tests: set FEAST_REDIS_URL or install redis-server.');
    return { type: STORE_TYPE, connection_string: `${this.#server.connectionString},db=${DB}`, ...this.extra };
  }

  async teardown(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    const pw = password(server.connectionString);
    const client = new Redis({ host: server.host, port: server.port, db: DB, lazyConnect: true, ...(pw ? { password: pw } : {}) });
    try {
      await client.connect();
      await deleteSuiteKeys(client);
    } finally {
      client.disconnect();
      if (--standaloneUsers === 0) {
        const s = standalone;
        standalone = undefined;
        await (await s)?.stop();
      }
    }
  }
}

/** {@link StandaloneRedisCreator} with `skip_dedup: true`: every write lands, the last one wins. */
class SkipDedupRedisCreator extends StandaloneRedisCreator {
  protected override readonly extra = { skip_dedup: true };
}

/** A throwaway 3-master Redis Cluster for the run. */
export class RedisClusterCreator implements OnlineStoreCreator {
  #cluster: RedisTestCluster | undefined;

  constructor(readonly projectName: string) {}

  async createOnlineStore(): Promise<OnlineStoreConfigObject> {
    this.#cluster = await startRedisCluster(3);
    return { type: STORE_TYPE, redis_type: 'redis_cluster', connection_string: this.#cluster.connectionString };
  }

  async teardown(): Promise<void> {
    await this.#cluster?.stop();
    this.#cluster = undefined;
  }
}

const serverExpected = Boolean(process.env.FEAST_REDIS_URL?.trim()) || typeof findRedisBinaries() !== 'string';
const binaries = findRedisBinaries();
if (!serverExpected) reportNoServer('Universal tests for RedisOnlineStore', ['FEAST_REDIS_URL is not set', String(binaries)], redisServerSpec.hint);
if (serverExpected && typeof binaries === 'string') reportNoServer('Universal tests for RedisOnlineStore on Redis Cluster', [binaries], 'Install redis-server and redis-tools.');
const skipAll = { skip: [...UNIVERSAL_CHECK_IDS] };

/** The three configs: a server, the same with skip_dedup, and a cluster. */
export const FULL_REPO_CONFIGS: IntegrationTestRepoConfig[] = [
  { name: 'redis', creator: StandaloneRedisCreator, ...(serverExpected ? {} : skipAll) },
  { name: 'redis-skip-dedup', creator: SkipDedupRedisCreator, ...(serverExpected ? {} : skipAll) },
  { name: 'redis-cluster', creator: RedisClusterCreator, ...(typeof binaries === 'string' ? skipAll : {}) },
];
