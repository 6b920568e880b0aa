/**
 * The online stores the server's integration tests run on, each found by the repository's policy
 * (`@feast-ts/test-servers`): a URL in the environment, else a throwaway server from a local binary;
 * with neither the tests skip loudly, and under CI=true they fail.
 */
import {
  createTestDatabase,
  parsePostgresUrl,
  postgresServerSpec,
  redisServerSpec,
  requireTestServer,
  type StoppableServer,
} from '@feast-ts/test-servers';
import { createMySQLTestDatabase, mysqlServerSpec, parseMySQLUrl } from '@feast-ts/test-servers/mysql';

/** An online store config for a test repo, and how to clean up after it. */
export interface TestStore {
  /** The `online_store` section, as a YAML flow mapping. */
  yaml: string;
  /** Drops what the store created and stops a throwaway server. */
  cleanup(): Promise<void>;
}

/** A store kind the integration suite runs on. */
export interface StoreKind {
  name: string;
  /** undefined when no server is available (outside CI, after a banner). */
  acquire(project: string): Promise<TestStore | undefined>;
}

const flow = (o: Record<string, string | number>): string =>
  `{ ${Object.entries(o)
    .map(([k, v]) => `${k}: ${typeof v === 'number' ? v : JSON.stringify(v)}`)
    .join(', ')} }`;

export const SQLITE: StoreKind = {
  name: 'sqlite',
  async acquire() {
    return { yaml: flow({ type: 'sqlite', path: 'data/online.db' }), async cleanup() {} };
  },
};

export const REDIS: StoreKind = {
  name: 'redis',
  async acquire() {
    const server = await requireTestServer(redisServerSpec);
    if (!server) return undefined;
    // Keys end with the project name, which is unique per test run; teardown removes them.
    return { yaml: flow({ type: 'redis', connection_string: server.connectionString }), cleanup: () => server.stop() };
  },
};

export const POSTGRES: StoreKind = {
  name: 'postgres',
  async acquire() {
    const server = await requireTestServer(postgresServerSpec);
    if (!server) return undefined;
    const db = await createTestDatabase(server.url, 'feast_ts_server');
    const p = parsePostgresUrl(db.url);
    return {
      yaml: flow({ type: 'postgres', host: p.host, port: p.port, user: p.user, password: p.password, database: db.name }),
      async cleanup() {
        await db.drop();
        await server.stop();
      },
    };
  },
};

export const MYSQL: StoreKind = {
  name: 'mysql',
  async acquire() {
    const server = await requireTestServer(mysqlServerSpec);
    if (!server) return undefined;
    const db = await createMySQLTestDatabase(server.url, 'feast_ts_server');
    const p = parseMySQLUrl(db.url);
    return {
      yaml: flow({ type: 'mysql', host: p.host, port: p.port, user: p.user, password: p.password, database: db.name }),
      async cleanup() {
        await db.drop();
        await server.stop();
      },
    };
  },
};
