import type { TestProject } from 'vitest/node';
import { dropLeftovers, isCI, mysqlAdminUrl, postgresAdminUrl, probe, type TargetName } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Dialects whose server answered; the others' tests skip loudly (and CI fails before that). */
    sqlRegistryTargets: TargetName[];
  }
}

/**
 * Checks that the PostgreSQL and MariaDB servers answer. Without one, its tests skip with a banner;
 * with CI set, that is a failure. At the end, drops any database of this run a test left behind.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  process.env['FEAST_SQLREG_RUN'] = `${process.pid}${Date.now().toString(36)}`;
  const prefix = `feast_ts_sqlreg_${process.env['FEAST_SQLREG_RUN']}_`;
  const targets: TargetName[] = ['sqlite'];
  const missing: string[] = [];
  for (const [target, url] of [
    ['postgresql', postgresAdminUrl()],
    ['mysql', mysqlAdminUrl()],
  ] as const) {
    const ok = await probe(target);
    if (ok === true) targets.push(target);
    else missing.push(`${target} at ${url.replace(/:[^:@/]*@/, ':***@')}: ${ok}`);
  }
  if (missing.length > 0) {
    const message =
      `@feast-ts/sql-registry tests: no server for ${missing.join('; ')}. ` +
      'Start it, or point FEAST_POSTGRES_URL / FEAST_MYSQL_URL at one (an admin URL that may create databases).';
    if (isCI()) throw new Error(`${message} CI is set, so this is a failure, not a skip.`);
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!! SKIPPED ${message}\n${bar}\n`);
  }
  project.provide('sqlRegistryTargets', targets);
  return async () => {
    await dropLeftovers(prefix);
  };
}
