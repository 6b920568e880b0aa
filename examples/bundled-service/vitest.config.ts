import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-bundled-service',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
