import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort, startEmbeddedPostgres } from '../db/embedded.js';
import { healthy, cleanupAfterAll, startMain } from '../../test/helpers/main-process.js';
import { until } from '../../test/helpers/wait.js';

const { cleanup, tempDir } = cleanupAfterAll();

/** Running and not a zombie (PID 1 of a container may never reap an orphan). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX] /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function decoy(binary: string): ChildProcess {
  const child = spawn(binary, ['60'], { stdio: 'ignore' });
  cleanup.push(() => { child.kill('SIGKILL'); });
  return child;
}

/** postmaster.pid as PostgreSQL writes it: PID, data folder, start time, port, socket folder, address, shared memory key, status. */
const pidFile = (pid: number, databaseDir: string) => `${pid}\n${databaseDir}\n${Math.floor(Date.now() / 1000)}\n5432\n${databaseDir}\n127.0.0.1\n  5432001    0\nready   \n`;

describe('the embedded PostgreSQL after an unclean stop', () => {
  it('leaves alone a process that got the PID of a stale postmaster.pid, and starts', async () => {
    const dataDir = tempDir('bookflow-stale-pid-');
    const databaseDir = path.join(dataDir, 'pg');
    await (await startEmbeddedPostgres({ dataDir })).stop();

    // One decoy is any process; the other is even called postgres, but serves no data folder of ours.
    const fakeBin = path.join(tempDir('bookflow-fake-bin-'), 'postgres');
    fs.copyFileSync(fs.realpathSync('/bin/sleep'), fakeBin);
    fs.chmodSync(fakeBin, 0o755);
    for (const binary of ['sleep', fakeBin]) {
      const other = decoy(binary);
      await until('the decoy to run', () => alive(other.pid!));
      fs.writeFileSync(path.join(databaseDir, 'postmaster.pid'), pidFile(other.pid!, databaseDir));

      const server = await startEmbeddedPostgres({ dataDir });
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
      await server.stop();
      expect(alive(other.pid!), `${binary} survives the start`).toBe(true);
    }
  }, 120_000);

  it('does not outlive the app: a kill -9 of npm start takes its PostgreSQL down', async () => {
    const dataDir = tempDir('bookflow-kill9-');
    const port = await freePort();
    const main = startMain({ PORT: String(port), EMBEDDED_PG_PORT: String(await freePort()), DATA_DIR: dataDir, ADMIN_EMAIL: 'owner@kill9.test', ADMIN_PASSWORD: 'owner-password' });
    cleanup.push(async () => {
      if (main.child.exitCode === null && main.child.signalCode === null) { main.child.kill('SIGKILL'); await main.exited; }
    });
    await until('the app to answer /health', () => healthy(port), 90_000).catch((e) => { throw new Error(`${e.message}\n${main.output()}`); });
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    cleanup.push(() => { if (alive(postmaster)) process.kill(postmaster, 'SIGINT'); });
    expect(alive(postmaster)).toBe(true);

    main.child.kill('SIGKILL');
    await main.exited;
    await until('the postmaster to exit', () => !alive(postmaster), 30_000);
  }, 180_000);
});
