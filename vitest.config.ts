import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Multi-process ledger tests spawn children; keep the shared 2-core machine calm.
    pool: 'forks',
    testTimeout: 30_000,
  },
});
