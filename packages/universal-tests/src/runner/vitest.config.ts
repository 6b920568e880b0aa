import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The bin's vitest config: runs only the shipped entry file, with generous timeouts. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['entry.js'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    chaiConfig: { truncateThreshold: 2_000 },
    // Installed from the registry this package sits in node_modules, which vitest
    // hands to Node untransformed; inline it so the entry's import() of a `.ts`
    // configs module goes through vitest's loader.
    server: { deps: { inline: [/@feast-ts[\\/]universal-tests/] } },
  },
});
