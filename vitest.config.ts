import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests run in parallel; integration tests drive real
// namespaces, keepalived and nft and run one file at a time, because keepalived
// timing on two shared cores does not survive parallel files.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          fileParallelism: false,
          globalSetup: ['test/sweep.global.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
