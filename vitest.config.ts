import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Multi-process ledger tests spawn children, so processes rather than threads. Two at a time:
    // most tests wait on git, terraform or a local server, and one worker left a core idle.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
