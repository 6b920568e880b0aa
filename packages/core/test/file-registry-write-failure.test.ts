import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// The rename that publishes a new registry fails once, as a full disk or a permission change would.
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  let failNext = true;
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (failNext && String(to).endsWith('registry.db')) {
        failNext = false;
        throw Object.assign(new Error('ENOSPC: no space left on device, rename'), { code: 'ENOSPC' });
      }
      return real.rename(from, to);
    },
  };
});

const { Entity, FileRegistry, ValueType } = await import('../src/index.js');
const { copyOfFeastRegistry } = await import('./registry-helpers.js');

describe('a failed registry write', () => {
  it('leaves the previous registry intact, no temp file behind, and the lock released', async () => {
    const file = await copyOfFeastRegistry();
    const before = await readFile(file);
    const reg = new FileRegistry(file);
    const e = new Entity({ name: 'rider', joinKeys: ['rider_id'], valueType: ValueType.STRING });
    const err = await reg.apply('driver_ranking', [{ op: 'put', object: e }]).catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'REGISTRY_INVALID' });
    expect((err as Error).message).toMatch(/Cannot write the registry .*ENOSPC.*previous registry is unchanged/);
    expect((await readFile(file)).equals(before)).toBe(true);
    expect(await readdir(path.dirname(file))).toEqual(['registry.db']);
    expect((await reg.load('driver_ranking')).entities.has('rider')).toBe(false);
    // The lock was released: the next apply goes through.
    expect(await reg.apply('driver_ranking', [{ op: 'put', object: e }])).toBe(true);
    expect((await new FileRegistry(file).load('driver_ranking')).entities.has('rider')).toBe(true);
  });
});
