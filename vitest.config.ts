import { defineConfig } from 'vitest/config';

// One run for the whole repo: every package's tests, the universal suite per store,
// and the example adapter. Each project keeps its own vitest.config.ts.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*/vitest.config.ts'],
  },
});
