/**
 * The universal suite's configs for `@feast-ts/postgres`: a database of its
 * own on a real PostgreSQL server, dropped after the run. The server is the
 * one named by `FEAST_POSTGRES_URL`, else a throwaway cluster from the local
 * binaries (see @feast-ts/test-servers/postgres).
 *
 *   FULL_REPO_CONFIGS_MODULE=./postgres.ts feast-universal-tests   (from tests-universal/)
 *
 * With no server to be had the run says so loudly and every check is
 * reported as skipped; with `CI` set, loading this module fails instead.
 */
import {
  createTestDatabase,
  findPostgresBinDir,
  parsePostgresUrl,
  postgresServerSpec,
  reportNoServer,
  SharedTestServer,
  type PostgresTestDatabase,
} from '@feast-ts/test-servers';
import { UNIVERSAL_CHECK_IDS, type IntegrationTestRepoConfig, type OnlineStoreConfigObject, type OnlineStoreCreator } from '@feast-ts/universal-tests';

/**
 * The store by package and export, which resolves with or without core's
 * short name `postgres` (mapped to the same class).
 */
const STORE_TYPE = '@feast-ts/postgres#PostgreSQLOnlineStore';

const shared = new SharedTestServer(postgresServerSpec);

/**
 * Creates a database for the suite on the run's server and returns the
 * `online_store` section pointing at it; `teardown()` drops the database and
 * releases the server (stopping it when this process started it).
 */
export class PostgreSQLOnlineStoreCreator implements OnlineStoreCreator {
  #db: PostgresTestDatabase | undefined;
  #holds = false;

  /** @param projectName - used in the database name, so concurrent runs do not collide */
  constructor(readonly projectName: string) {}

  async createOnlineStore(): Promise<OnlineStoreConfigObject> {
    this.#holds = true;
    const server = await shared.hold();
    this.#db = await createTestDatabase(server.url, `feast_ut_${this.projectName}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40));
    const p = parsePostgresUrl(this.#db.url);
    return { type: STORE_TYPE, host: p.host, port: p.port, user: p.user, password: p.password, database: p.database ?? this.#db.name, db_schema: 'feast' };
  }

  async teardown(): Promise<void> {
    try {
      await this.#db?.drop();
    } finally {
      this.#db = undefined;
      if (this.#holds) {
        this.#holds = false;
        await shared.release();
      }
    }
  }
}

const expected = process.env.FEAST_POSTGRES_URL?.trim() ? true : findPostgresBinDir() !== undefined;
if (!expected) reportNoServer('Universal tests for PostgreSQLOnlineStore', ['FEAST_POSTGRES_URL is not set', 'no initdb/pg_ctl found'], postgresServerSpec.hint);

/** One config: the PostgreSQL store on a database of its own. */
export const FULL_REPO_CONFIGS: IntegrationTestRepoConfig[] = [
  {
    name: 'postgres',
    onlineStore: { type: STORE_TYPE },
    creator: PostgreSQLOnlineStoreCreator,
    ...(expected ? {} : { skip: [...UNIVERSAL_CHECK_IDS] }),
  },
];
