import { postgresServerSpec, requireTestServer, type PostgresTestServer } from '@feast-ts/test-servers';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test server, or null when there is none (tests skip, loudly; CI fails). */
    postgresServerUrl: string | null;
  }
}

/**
 * One server for the whole run: FEAST_POSTGRES_URL, else a throwaway cluster
 * from the local binaries (stopped at the end). With CI set and neither, the
 * run fails here.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: PostgresTestServer | undefined = await requireTestServer(postgresServerSpec);
  if (server) console.info(`[postgres] tests use ${server.description}`);
  project.provide('postgresServerUrl', server?.url ?? null);
  return async () => {
    await server?.stop();
    server = undefined;
  };
}
