import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FeastConfigBaseModel, FeastConfigError, parseOnlineStoreConfig, type RepoConfig } from '../src/index.js';

const Schema = FeastConfigBaseModel.extend({ type: z.string().default('x'), port: z.number().default(1) });
const repo = (onlineStore: Record<string, unknown>): RepoConfig =>
  ({ project: 'p', registry: '/r', provider: 'local', entityKeySerializationVersion: 3, repoPath: '/repo', configFile: '/repo/feature_store.yaml', onlineStore }) as unknown as RepoConfig;

describe('parseOnlineStoreConfig', () => {
  it('applies defaults and remembers the result per config object', () => {
    const config = repo({ type: 'x' });
    const first = parseOnlineStoreConfig(Schema, config);
    expect(first).toEqual({ type: 'x', port: 1 });
    expect(parseOnlineStoreConfig(Schema, config)).toBe(first);
  });

  it('throws a FeastConfigError naming the file and key', () => {
    const err = (() => {
      try {
        parseOnlineStoreConfig(Schema, repo({ type: 'x', prot: 2 }));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(FeastConfigError);
    expect((err as FeastConfigError).keyPath).toBe('online_store.prot');
    expect((err as Error).message).toMatch(/^\/repo\/feature_store\.yaml: online_store\.prot: unknown key "prot"/);
  });
});
