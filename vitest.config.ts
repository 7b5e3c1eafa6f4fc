import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'plugins/**/*.test.ts', 'templates/**/*.test.ts', 'test/**/*.test.ts', 'studio/test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // A worker keeps its modules from file to file: a file no longer imports the whole app anew (about a second
    // each). Each file still gets its own database and server; per-file.ts undoes its changes to the environment.
    isolate: false,
    setupFiles: ['test/helpers/per-file.ts'],
    testTimeout: 60_000,
    // A wait bound, not a timing assertion: on a loaded 2-core machine a studio autosave round trip can take seconds.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 3,
  },
});
