import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { ensureSchema, readProject } from '../src/index.js';
import { driverFor, eachTarget, freshDatabase, registryFor } from './targets.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const N = 25;

interface Writer {
  ready: Promise<void>;
  done: Promise<{ attempts: number; ready: number; started: number; ended: number }>;
  go(): void;
}

/** Starts one writer process (test/child-apply.ts) on the database. */
function writer(url: string, repoPath: string, name: string): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/child-apply.ts', url, repoPath, 'race', name, String(N)], { cwd: PACKAGE_DIR });
  let out = '';
  let err = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<Writer extends { done: Promise<infer R> } ? R : never>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`writer ${name} exited ${code}: ${err}`));
      else resolve(JSON.parse(out.slice('ready\n'.length).trim()));
    });
  });
  // A writer that dies before it is ready must fail the test, not hang it.
  return { ready: Promise.race([ready, done.then(() => undefined)]), done, go: () => child.stdin.write('go\n') };
}

eachTarget('concurrent applies from two processes', (target) => {
  it('lose nothing: every object of both lands, and the row both rewrite keeps every change', async () => {
    const db = await freshDatabase(target);
    const driver = await driverFor(db);
    await ensureSchema(driver, 'auto');
    const writers = [writer(db.url, db.repoPath, 'a'), writer(db.url, db.repoPath, 'b')];
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const reports = await Promise.all(writers.map((w) => w.done));
    // Their applies overlapped in time (else this would prove nothing).
    expect(Math.max(reports[0]!.started, reports[1]!.started)).toBeLessThan(Math.min(reports[0]!.ended, reports[1]!.ended));
    const entities = [...(await registryFor(db).load('race')).entities.keys()].sort();
    const expected = ['a', 'b'].flatMap((w) => Array.from({ length: N }, (_, i) => `e_${w}_${i}`)).sort();
    expect(entities).toEqual(expected);
    const shared = (await readProject(driver, 'race')).objects.dataSources.find((r) => r.name === 'shared')!;
    // Each writer appended its byte N times to the same row: a lost update would drop some.
    expect(shared.proto.length).toBe(2 * N);
    expect(shared.proto.filter((x) => x === 0x61).length).toBe(N);
    expect(shared.proto.filter((x) => x === 0x62).length).toBe(N);
    console.info(`[${target}] ${2 * N * 2} applies in two processes took ${reports[0]!.attempts + reports[1]!.attempts} transactions for the shared row`);
  }, 180_000);
});
