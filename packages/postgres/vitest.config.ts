import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'postgres',
    include: ['test/**/*.test.ts'],
    // Finds (or starts) one PostgreSQL server for every test file; see test/global-setup.ts.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
