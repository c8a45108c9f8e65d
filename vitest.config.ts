import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The action runs as child processes against local servers; give a slow CI machine room.
    testTimeout: 20_000,
  },
});
