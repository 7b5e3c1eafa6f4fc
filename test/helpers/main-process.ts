import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface Main { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: string | null }> }

/** `npm start`, as a child process: core/main.ts under tsx. */
export function startMain(env: Record<string, string>): Main {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'core', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: '', BOOKFLOW_PLUGINS_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

export const healthy = (port: number) => fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);

/** A throw-away folder the postgres OS user can reach (as root, the embedded server runs as that user). */
/** Undo steps run after the file's tests, last first; `tempDir` makes a reachable folder removed among them. */
export function cleanupAfterAll(): { cleanup: Array<() => void | Promise<void>>; tempDir(prefix: string): string } {
  const cleanup: Array<() => void | Promise<void>> = [];
  afterAll(async () => { for (const fn of cleanup.reverse()) await fn(); });
  return {
    cleanup,
    tempDir(prefix) {
      const { dir, remove } = reachableTempDir(prefix);
      cleanup.push(remove);
      return dir;
    },
  };
}

export function reachableTempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
