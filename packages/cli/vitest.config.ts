import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    // init/apply/write runs import TypeScript through tsx: allow for a cold esbuild.
    testTimeout: 30_000,
  },
});
