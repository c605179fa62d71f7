import { defineConfig } from 'vitest/config';

/**
 * Two groups. Most files run in parallel (two at a time: end-to-end tests start worker threads and
 * loopback servers, and this is a 2-core machine). Files named *.timing.test.ts assert measured
 * times (latency within a millisecond or two of a server's delay, arrival-rate precision); they run
 * afterwards, one at a time, so that the suite's own load does not end up in their figures.
 */
const shared = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'parallel',
          include: ['engine/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.timing.test.ts', '**/node_modules/**'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'timing',
          include: ['test/**/*.timing.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
