import { defineConfig } from 'vitest/config';

/** Files that replace a module (`vi.mock` applies only where the module is not loaded yet): each gets a module registry of its own. */
export const ISOLATED = ['test/abuse/source-tag.test.ts', 'test/local/branch-collision.test.ts'];

export default defineConfig({
  test: {
    // Multi-process ledger tests spawn children, so processes rather than threads. Two at a time:
    // most tests wait on git, terraform or a local server, and one worker left a core idle.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    projects: [
      // A worker keeps its modules from one file to the next: importing the product (the CDK
      // library, the AWS SDK, the parsers) once per worker instead of once per file takes about a
      // third off the run. Tests reset what they change (temp dirs, ledgers, SDK mocks, env stubs).
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
