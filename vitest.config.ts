import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests start worker threads and loopback servers; keep the 2-core machine from thrashing.
    maxWorkers: 2,
  },
});
