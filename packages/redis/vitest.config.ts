import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'redis',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The cluster and Sentinel tests start servers of their own: keep files from competing for the 2 cores.
    fileParallelism: false,
  },
});
