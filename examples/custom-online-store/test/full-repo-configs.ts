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
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import {
  UNIVERSAL_CHECK_IDS,
  type IntegrationTestRepoConfig,
  type OnlineStoreConfigObject,
  type OnlineStoreCreator,
} from '@feast-ts/universal-tests';
import { acquireNats, natsAvailability, unavailableMessage, type NatsTarget } from './nats-server.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
/** The built store, named by absolute path so it resolves from the suite's temporary feature repos. */
export const STORE_MODULE = path.join(PACKAGE_DIR, 'dist', 'index.js');
/** `online_store.type` of every test repo: a local file and its export. */
export const STORE_TYPE = `${STORE_MODULE}#NatsKvOnlineStore`;

/** The suite runs what users install, so the build must exist and be newer than the sources. */
function assertBuilt(): void {
  const hint = 'Build it first: pnpm --filter feast-ts-nats-kv-online-store-example build (or pnpm build).';
  if (!existsSync(STORE_MODULE)) throw new Error(`${STORE_MODULE} does not exist. ${hint}`);
  const built = statSync(STORE_MODULE).mtimeMs;
  const srcDir = path.join(PACKAGE_DIR, 'src');
  const stale = readdirSync(srcDir).filter((f) => statSync(path.join(srcDir, f)).mtimeMs > built);
  if (stale.length > 0) throw new Error(`dist/ is older than src/${stale[0]}: the tests would run old code. ${hint}`);
}

/** Deletes every bucket whose name starts with `prefix`. */
export async function deleteBuckets(url: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: url, maxReconnectAttempts: 0 });
  try {
    const kvm = new Kvm(nc);
    const names: string[] = [];
    for await (const status of kvm.list()) if (status.bucket.startsWith(prefix)) names.push(status.bucket);
    await Promise.all(names.map(async (name) => (await kvm.open(name)).destroy()));
  } finally {
    await nc.close();
  }
}

// #region creator
/**
 * Provisions NATS for one run of the suite: finds a server (FEAST_NATS_URL,
 * the local one, or a throwaway nats-server), gives the run a bucket prefix
 * of its own, and deletes every bucket under that prefix in teardown.
 */
export class NatsKvOnlineStoreCreator implements OnlineStoreCreator {
  readonly bucketPrefix = `feastut_${randomBytes(4).toString('hex')}_`;
  #nats: NatsTarget | undefined;

  async createOnlineStore(): Promise<OnlineStoreConfigObject> {
    assertBuilt();
    this.#nats = await acquireNats(); // throws, saying what was tried, when there is none
    return { type: STORE_TYPE, url: this.#nats.url, bucket_prefix: this.bucketPrefix };
  }

  async teardown(): Promise<void> {
    const nats = this.#nats;
    this.#nats = undefined;
    if (!nats) return;
    try {
      await deleteBuckets(nats.url, this.bucketPrefix);
    } finally {
      await nats.stop();
    }
  }
}
// #endregion creator

// #region configs
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const availability = await natsAvailability();
if (availability === undefined && !inCI) {
  console.warn(
    [
      '',
      '!'.repeat(78),
      '!! SKIPPING the universal suite for NatsKvOnlineStore: no NATS server is available.',
      `!! ${unavailableMessage()}`,
      '!! (With CI set, this is a failure instead.)',
      '!'.repeat(78),
      '',
    ].join('\n'),
  );
}

// A 1 MiB value does not fit in one NATS message under the default max_payload (1 MiB):
// the store refuses such a row with value_too_large, so that check runs only on a server that allows more.
const LARGE_VALUE_CHECK = 'round-trip-large-bytes';
const smallPayload = typeof availability === 'object' && availability.maxPayload < 2 * 1024 * 1024;

/** The configs the suite runs: one, on whatever NATS {@link NatsKvOnlineStoreCreator} finds. */
export const FULL_REPO_CONFIGS: IntegrationTestRepoConfig[] =
  availability === undefined && !inCI
    ? // Nothing to connect to: every check is reported as skipped, and no creator runs.
      [{ name: 'nats-kv (no NATS available: skipped)', onlineStore: { type: STORE_TYPE }, skip: [...UNIVERSAL_CHECK_IDS] }]
    : // In CI a missing server makes the creator throw, so the run fails instead of skipping.
      [{ name: 'nats-kv', creator: NatsKvOnlineStoreCreator, skip: smallPayload ? [LARGE_VALUE_CHECK] : [] }];
// #endregion configs
