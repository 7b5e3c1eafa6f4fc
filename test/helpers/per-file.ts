/**
 * Runs before each test file. Files share their worker's modules (`isolate: false`, which saves each file the
 * import of the whole app), so what a file changes in the process is undone when it ends: its environment.
 */
import { afterAll } from 'vitest';

const env = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
});
