/**
 * The configs module of this store for the feast-ts universal suite:
 *
 *   feast-universal-tests --configs ./test/full-repo-configs.ts
 *
 * or, from a vitest file, `runUniversalOnlineStoreTests(FULL_REPO_CONFIGS)`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  UNIVERSAL_CHECK_IDS,
  type IntegrationTestRepoConfig,
  type OnlineStoreConfigObject,
  type OnlineStoreCreator,
} from '@feast-ts/universal-tests';
import { createClient, RESP_TYPES } from 'redis';
import { prefixKeyPattern } from '../src/keys.js';
import { acquireRedis, redisAvailability, unavailableMessage, type RedisTarget } from './redis-server.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The built store, named by absolute path so it resolves from the suite's temporary feature repos. */
export const STORE_MODULE = path.join(PACKAGE_DIR, 'dist', 'index.js');
/** `online_store.type` of every test repo: a local file and its export. */
export const STORE_TYPE = `${STORE_MODULE}#RedisOnlineStore`;

/** The suite runs what users install, so the build must exist and be newer than the sources. */
function assertBuilt(): void {
  const hint = 'Build it first: pnpm --filter feast-ts-redis-online-store-example build (or pnpm build).';
  if (!existsSync(STORE_MODULE)) throw new Error(`${STORE_MODULE} does not exist. ${hint}`);
  const built = statSync(STORE_MODULE).mtimeMs;
  const srcDir = path.join(PACKAGE_DIR, 'src');
  const stale = readdirSync(srcDir).filter((f) => statSync(path.join(srcDir, f)).mtimeMs > built);
  if (stale.length > 0) throw new Error(`dist/ is older than src/${stale[0]}: the tests would run old code. ${hint}`);
}

/** Deletes every key under `prefix`, in SCAN batches. Keys are binary, so they are handled as Buffers. */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url, RESP: 2 }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  client.on('error', () => undefined);
  await client.connect();
  try {
    let cursor = '0';
    do {
      const reply = await client.scan(cursor, { MATCH: prefixKeyPattern(prefix), COUNT: 1000 });
      cursor = String(reply.cursor);
      if (reply.keys.length > 0) await client.unlink(reply.keys);
    } while (cursor !== '0');
  } finally {
    client.destroy();
  }
}

// #region creator
/**
 * Provisions Redis for one run of the suite: finds a server (FEAST_REDIS_URL,
 * the local one, or a throwaway redis-server), gives the run a key prefix of
 * its own, and deletes every key under that prefix in teardown.
 */
export class RedisOnlineStoreCreator implements OnlineStoreCreator {
  readonly keyPrefix: string;
  #redis: RedisTarget | undefined;

  constructor(projectName: string) {
    this.keyPrefix = `feast-ut:${projectName}:${randomBytes(4).toString('hex')}:`;
  }

  async createOnlineStore(): Promise<OnlineStoreConfigObject> {
    assertBuilt();
    this.#redis = await acquireRedis(); // throws, saying what was tried, when there is none
    return { type: STORE_TYPE, url: this.#redis.url, key_prefix: this.keyPrefix };
  }

  async teardown(): Promise<void> {
    const redis = this.#redis;
    this.#redis = undefined;
    if (!redis) return;
    try {
      await deleteKeys(redis.url, this.keyPrefix);
    } finally {
      await redis.stop();
    }
  }
}
// #endregion creator

// #region configs
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const availability = await redisAvailability();
if (availability === undefined && !inCI) {
  console.warn(
    [
      '',
      '!'.repeat(78),
      '!! SKIPPING the universal suite for RedisOnlineStore: no Redis is available.',
      `!! ${unavailableMessage()}`,
      '!! (With CI set, this is a failure instead.)',
      '!'.repeat(78),
      '',
    ].join('\n'),
  );
}

/** The configs the suite runs: one, on whatever Redis {@link RedisOnlineStoreCreator} finds. */
export const FULL_REPO_CONFIGS: IntegrationTestRepoConfig[] =
  availability === undefined && !inCI
    ? // Nothing to connect to: every check is reported as skipped, and no creator runs.
      [{ name: 'redis (no Redis available: skipped)', onlineStore: { type: STORE_TYPE }, skip: [...UNIVERSAL_CHECK_IDS] }]
    : // In CI a missing Redis makes the creator throw, so the run fails instead of skipping.
      [{ name: 'redis', creator: RedisOnlineStoreCreator }];
// #endregion configs
