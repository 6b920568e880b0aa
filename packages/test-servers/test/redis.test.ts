import { describe, expect, it } from 'vitest';
import { isCI, reportNoServer } from '../src/policy.js';
import { findRedisBinaries, startRedisServer } from '../src/redis.js';

const binaries = findRedisBinaries();
if (typeof binaries === 'string') reportNoServer('test-servers Redis tests', [binaries], 'Install redis-server.');

describe.skipIf(typeof binaries === 'string' && !isCI())('startRedisServer', () => {
  it('keeps data across shutdown/start, loses it on kill, and removes its directory on stop', async () => {
    const server = await startRedisServer({ password: 'pw' });
    try {
      expect(server.connectionString).toBe(`127.0.0.1:${server.port}`);
      expect(await server.cli('SET', 'k', 'v')).toBe('OK');
      await server.restart();
      expect(await server.cli('GET', 'k')).toBe('v');
      await server.kill();
      expect(server.running).toBe(false);
      await server.start();
      expect(await server.cli('GET', 'k')).toBe('v'); // dump.rdb from the SHUTDOWN SAVE of restart()
      await server.cli('SET', 'k', 'w');
      await server.kill();
      await server.start();
      expect(await server.cli('GET', 'k')).toBe('v'); // the write after the save died with the process
    } finally {
      await server.stop();
    }
    const { existsSync } = await import('node:fs');
    expect(existsSync(server.dir)).toBe(false);
  });
});
