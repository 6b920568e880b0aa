/**
 * The universal suite's configs for `@feast-ts/contrib-mysql`: a database of
 * its own on a real MySQL/MariaDB server, dropped after the run. The server
 * comes from `FEAST_MYSQL_URL`, else a throwaway local mariadbd (see
 * @feast-ts/test-servers/mysql).
 *
 *   FULL_REPO_CONFIGS_MODULE=./mysql.ts feast-universal-tests   (from tests-universal/)
 *
 * With no server to be had the run says so loudly and every check is
 * reported as skipped; with `CI` set, loading this module fails instead.
 */
import { UNIVERSAL_CHECK_IDS, type IntegrationTestRepoConfig, type OnlineStoreConfigObject, type OnlineStoreCreator } from '@feast-ts/universal-tests';
import {
  createMySQLTestDatabase,
  mysqlServerExpected,
  mysqlServerSpec,
  parseMySQLUrl,
  reportNoServer,
  SharedTestServer,
  type MySQLTestDatabase,
} from '@feast-ts/test-servers';

const shared = new SharedTestServer(mysqlServerSpec);

/**
 * Creates a database for the suite on the shared test server and returns the
 * `online_store` section pointing at it; `teardown()` drops the database and
 * releases the server (stopping it when this process started it).
 */
export class MySQLOnlineStoreCreator implements OnlineStoreCreator {
  #db: MySQLTestDatabase | undefined;
  #holds = false;

  /** @param projectName - used in the database name, so concurrent runs do not collide */
  constructor(readonly projectName: string) {}

  async createOnlineStore(): Promise<OnlineStoreConfigObject> {
    this.#holds = true;
    const server = await shared.hold();
    this.#db = await createMySQLTestDatabase(server.url, `feast_ut_${this.projectName}`);
    const p = parseMySQLUrl(this.#db.url);
    return { type: 'mysql', host: p.host, port: p.port, user: p.user, password: p.password, database: p.database ?? this.#db.name };
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

const expected = mysqlServerExpected();
if (expected !== true) reportNoServer('Universal tests for MySQLOnlineStore', expected, mysqlServerSpec.hint);

/** One config: the MySQL store on a database of its own. */
export const FULL_REPO_CONFIGS: IntegrationTestRepoConfig[] = [
  {
    name: 'mysql',
    onlineStore: { type: 'mysql' },
    creator: MySQLOnlineStoreCreator,
    skip: expected === true ? [] : [...UNIVERSAL_CHECK_IDS],
  },
];
