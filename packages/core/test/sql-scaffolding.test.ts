import { describe, expect, it } from 'vitest';
import { describeTarget, PoolsBySettings, runChunkedTransaction, storeErrorContext, withConnection } from '../src/index.js';

const lost = Object.assign(new Error('gone'), { lost: true });
const isLost = (err: unknown): boolean => (err as { lost?: boolean }).lost === true;

describe('withConnection', () => {
  const pool = () => {
    const log: string[] = [];
    let n = 0;
    return {
      log,
      ops: {
        acquire: async () => `c${++n}`,
        release: (conn: string, failure: unknown) => log.push(`${conn}:${failure === undefined ? 'ok' : (failure as Error).message}`),
        isLost,
      },
    };
  };

  it('runs idempotent work once more on a fresh connection after a lost one, releasing both', async () => {
    const { log, ops } = pool();
    let calls = 0;
    const out = await withConnection(ops, async (conn) => {
      if (++calls === 1) throw lost;
      return conn;
    }, { idempotent: true });
    expect(out).toBe('c2');
    expect(log).toEqual(['c1:gone', 'c2:ok']);
  });

  it('never runs a write again once it marked itself started', async () => {
    const { ops } = pool();
    let calls = 0;
    const run = withConnection(ops, async (_conn, markStarted) => {
      calls++;
      markStarted();
      throw lost;
    }, { idempotent: false });
    await expect(run).rejects.toBe(lost);
    expect(calls).toBe(1);
  });
});

describe('runChunkedTransaction', () => {
  it('reports cells after each chunk, and runs the whole transaction again after a retryable failure', async () => {
    const log: string[] = [];
    const progress: number[] = [];
    let failures = 1;
    const chunks = [{ cellsEnd: 2 }, { cellsEnd: 5 }];
    await runChunkedTransaction(
      {
        begin: async () => log.push('begin'),
        run: async (chunk) => {
          log.push(`run ${chunk.cellsEnd}`);
          if (chunk.cellsEnd === 5 && failures-- > 0) throw Object.assign(new Error('deadlock'), { retry: true });
        },
        commit: async () => log.push('commit'),
        rollback: async () => {
          log.push('rollback');
        },
        chunkAt: (i) => chunks[i],
      },
      (n) => progress.push(n),
      { attempts: 3, isRetryable: (err) => (err as { retry?: boolean }).retry === true },
    );
    expect(log).toEqual(['begin', 'run 2', 'run 5', 'rollback', 'begin', 'run 2', 'run 5', 'commit']);
    expect(progress).toEqual([2, 2, 5]);
  });

  it('rolls back and throws a failure that is not retryable', async () => {
    const log: string[] = [];
    const boom = new Error('boom');
    const run = runChunkedTransaction(
      {
        begin: async () => log.push('begin'),
        run: async () => {
          throw boom;
        },
        commit: async () => log.push('commit'),
        rollback: async (err) => {
          log.push(`rollback ${(err as Error).message}`);
        },
        chunkAt: (i) => (i === 0 ? { cellsEnd: 1 } : undefined),
      },
      () => {},
      { attempts: 5, isRetryable: () => false },
    );
    await expect(run).rejects.toBe(boom);
    expect(log).toEqual(['begin', 'rollback boom']);
  });
});

describe('error context', () => {
  it('names the target without the password, an IPv6 host in brackets, and the largest value of a write', () => {
    expect(describeTarget({ user: 'u', host: '::1', port: 5432, database: 'd' })).toBe('u@[::1]:5432/d');
    const ctx = storeErrorContext({ action: 'write to', table: 't', largest: { bytes: 70_004, feature: 'name', row: 19 } }, 'u@h:1/d', {
      connectTimeoutSeconds: 5,
      queryTimeoutSeconds: 10,
    });
    expect(ctx).toEqual({
      action: 'write to',
      target: 'u@h:1/d',
      table: 't',
      connectTimeoutSeconds: 5,
      queryTimeoutSeconds: 10,
      tooLargeDetail: 'The largest value of this call, feature "name" of row #19, encodes to 70004 bytes.',
    });
  });
});

describe('PoolsBySettings', () => {
  it('one pool per distinct settings (equal as JSON), created on first use; takeAll forgets them', () => {
    let made = 0;
    const pools = new PoolsBySettings((s: { host: string; port: number }) => ({ id: ++made, target: `${s.host}:${s.port}` }));
    const a = { host: 'h', port: 1 };
    const first = pools.get(a);
    expect(first).toEqual({ id: 1, target: 'h:1' });
    expect(pools.get(a)).toBe(first);
    expect(pools.get({ host: 'h', port: 1 })).toBe(first); // another object, equal settings
    expect(pools.get({ host: 'h', port: 2 }).id).toBe(2);
    expect(pools.size).toBe(2);
    expect(pools.takeAll().map((p) => p.id)).toEqual([1, 2]);
    expect(pools.size).toBe(0);
    expect(pools.get(a).id).toBe(3); // a new pool after takeAll
  });
});
