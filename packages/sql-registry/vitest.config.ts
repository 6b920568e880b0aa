import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'sql-registry',
    include: ['test/**/*.test.ts'],
    // Creates one database per dialect for the run (SQLite file, PostgreSQL, MariaDB) and drops it at the end.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
