import type { TestProject } from 'vitest/node';
import { acquireMySQLServer, reportNoServer, type MySQLTestServer } from '../../../tests-universal/mysql-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test server, or null when there is none (tests skip, loudly; CI fails). */
    mysqlServerUrl: string | null;
    /** Where the server came from (env, testcontainers, local-binary), for messages. */
    mysqlServerSource: string | null;
  }
}

/**
 * Acquires one server for the whole run (FEAST_MYSQL_URL, else a container,
 * else a throwaway local mariadbd/mysqld) and stops it at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { server, reasons } = await acquireMySQLServer();
  let running: MySQLTestServer | undefined = server;
  if (!server) {
    reportNoServer(reasons, '@feast-ts/contrib-mysql tests');
  } else {
    console.info(`[contrib-mysql] tests use ${server.description}`);
  }
  project.provide('mysqlServerUrl', server?.url ?? null);
  project.provide('mysqlServerSource', server?.source ?? null);
  return async () => {
    await running?.stop();
    running = undefined;
  };
}
