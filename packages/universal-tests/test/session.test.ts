import { FeastConfigError } from '@feast-ts/core';
import { describe, expect, it } from 'vitest';
import { UniversalSession, type OnlineStoreConfigObject, type UniversalCheck } from '../src/index.js';
import { storeType } from './stores/creators.js';

const memoryType = storeType('in-memory-online-store.ts', 'InMemoryOnlineStore');

function recordingCreator(result: unknown, log: string[]) {
  return class RecordingCreator {
    constructor(readonly projectName: string) {
      log.push(`new ${projectName}`);
    }
    async createOnlineStore(): Promise<OnlineStoreConfigObject> {
      log.push('create');
      return result as OnlineStoreConfigObject;
    }
    async teardown(): Promise<void> {
      log.push('teardown');
    }
  };
}

const probe = (seen: Array<Record<string, unknown>>): UniversalCheck => ({
  id: 'probe',
  name: 'probe',
  async run(ctx) {
    const a = await ctx.newEnvironment();
    const b = await ctx.newEnvironment();
    seen.push({ ...a.config.onlineStore }, { project: a.project }, { project: b.project });
  },
});

describe('UniversalSession', () => {
  it('constructs the creator with a project name, merges its result over onlineStore, and tears it down at the end', async () => {
    const log: string[] = [];
    const session = await UniversalSession.start({
      name: 'merge',
      onlineStore: { type: 'ignored', database: 'static' },
      creator: recordingCreator({ type: memoryType }, log),
    });
    expect(log).toEqual([expect.stringMatching(/^new ut_[0-9a-f]{12}$/), 'create']);
    expect(session.onlineStore).toEqual({ type: memoryType, database: 'static' });
    const seen: Array<Record<string, unknown>> = [];
    await session.runCheck(probe(seen));
    expect(seen[0]).toEqual({ type: memoryType, database: 'static' });
    expect(seen[1]!['project']).toMatch(/^ut_[0-9a-f]{12}$/);
    expect(seen[1]!['project']).not.toBe(seen[2]!['project']);
    await session.end();
    expect(log.at(-1)).toBe('teardown');
  });

  it('rejects a creator result without a type, and still tears the creator down', async () => {
    const log: string[] = [];
    const err = await UniversalSession.start({ name: 'bad', creator: recordingCreator({ host: 'x' }, log) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeastConfigError);
    expect((err as Error).message).toContain('createOnlineStore() must return an online_store object with a "type"');
    expect(log.at(-1)).toBe('teardown');
  });

  it('uses a static onlineStore as is', async () => {
    const session = await UniversalSession.start({ name: 'static', onlineStore: { type: memoryType, database: 'static2' } });
    const seen: Array<Record<string, unknown>> = [];
    await session.runCheck(probe(seen));
    expect(seen[0]).toEqual({ type: memoryType, database: 'static2' });
    await session.end();
  });

  it('fails a check whose store cannot be loaded, with core\'s error', async () => {
    const session = await UniversalSession.start({ name: 'missing', onlineStore: { type: '@feast-ts/no-such-store#NoSuchOnlineStore' } });
    await expect(session.runCheck(probe([]))).rejects.toMatchObject({ code: 'STORE_PACKAGE_MISSING' });
  });

  it('closes the stores of every environment after a check, also when it fails', async () => {
    const closed: string[] = [];
    const session = await UniversalSession.start({ name: 'close', onlineStore: { type: memoryType, database: 'close' } });
    const failing: UniversalCheck = {
      id: 'failing',
      name: 'failing',
      async run(ctx) {
        const env = await ctx.newEnvironment();
        const close = env.store.close.bind(env.store);
        env.store.close = async () => {
          closed.push(env.project);
          await close();
        };
        throw new Error('check failed');
      },
    };
    await expect(session.runCheck(failing)).rejects.toThrow('check failed');
    expect(closed).toHaveLength(1);
  });
});
