import { acquireTestServer, mysqlServerSpec, reportNoServer, type MySQLTestServer } from '@feast-ts/test-servers';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test server, or null when there is none (tests skip, loudly; CI fails). */
    mysqlServerUrl: string | null;
    /** Where the server came from (`env` or `throwaway`), for messages. */
    mysqlServerSource: string | null;
  }
}

/**
 * Acquires one server for the whole run (FEAST_MYSQL_URL, else a throwaway
 * local mariadbd; see @feast-ts/test-servers/mysql) and stops it at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { server, source, reasons } = await acquireTestServer(mysqlServerSpec);
  let running: MySQLTestServer | undefined = server;
  if (!server) {
    reportNoServer('@feast-ts/contrib-mysql tests', reasons, mysqlServerSpec.hint);
  } else {
    console.info(`[contrib-mysql] tests use ${server.description}`);
  }
  project.provide('mysqlServerUrl', server?.url ?? null);
  project.provide('mysqlServerSource', source ?? null);
  return async () => {
    await running?.stop();
    running = undefined;
  };
}
