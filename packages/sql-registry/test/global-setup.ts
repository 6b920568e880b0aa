import { acquireTestServer, isCI, mysqlServerSpec, postgresServerSpec, type StoppableServer } from '@feast-ts/test-servers';
import type { TestProject } from 'vitest/node';
import { dropLeftovers, probe, type TargetName } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Dialects whose server answered; the others' tests skip loudly (and CI fails before that). */
    sqlRegistryTargets: TargetName[];
  }
}

/**
 * Finds the PostgreSQL and MariaDB servers (FEAST_POSTGRES_URL / FEAST_MYSQL_URL, else throwaway
 * servers from the local binaries, through @feast-ts/test-servers) and hands their admin URLs to
 * the test workers in those variables. Without one, its tests skip with a banner; with CI set,
 * that is a failure. At the end, drops any database of this run a test left behind and stops the
 * throwaway servers.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env['FEAST_SQLREG_RUN'] = `${process.pid}${Date.now().toString(36)}`;
  const prefix = `feast_ts_sqlreg_${process.env['FEAST_SQLREG_RUN']}_`;
  const targets: TargetName[] = ['sqlite'];
  const missing: string[] = [];
  const started: StoppableServer[] = [];
  const postgres = await acquireTestServer(postgresServerSpec);
  const mysql = await acquireTestServer(mysqlServerSpec);
  for (const [target, envVar, acquired] of [
    ['postgresql', 'FEAST_POSTGRES_URL', postgres],
    ['mysql', 'FEAST_MYSQL_URL', mysql],
  ] as const) {
    if (!acquired.server) {
      missing.push(`${target}: ${acquired.reasons.join('; ')}`);
      continue;
    }
    if (acquired.source === 'throwaway') started.push(acquired.server);
    // The workers start after this and inherit the variable (servers.ts reads it).
    process.env[envVar] = acquired.server.url;
    const ok = await probe(target);
    if (ok === true) targets.push(target);
    else missing.push(`${target} at ${acquired.server.description}: ${ok}`);
  }
  if (missing.length > 0) {
    const message =
      `@feast-ts/sql-registry tests: no server for ${missing.join('; ')}. ` +
      'Point FEAST_POSTGRES_URL / FEAST_MYSQL_URL at one (an admin URL that may create databases), or install postgresql / mariadb-server.';
    if (isCI()) {
      for (const s of started) await s.stop();
      throw new Error(`${message} CI is set, so this is a failure, not a skip.`);
    }
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!! SKIPPED ${message}\n${bar}\n`);
  }
  project.provide('sqlRegistryTargets', targets);
  return async () => {
    await dropLeftovers(prefix);
    for (const s of started) await s.stop();
  };
}
