/**
 * One real embedded PostgreSQL for the whole run. A template database gets every
 * migration once; each test file then clones it into its own fresh database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../core/db/embedded.js';
import { ensureDatabase } from '../../core/db/provision.js';
import { createApp } from '../../core/app.js';
import { loadConfig } from '../../core/config.js';
import { pino } from 'pino';

let server: EmbeddedServer | undefined;
let dir: string | undefined;

export const TEMPLATE_DB = 'bookflow_template';

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    // /tmp is reachable by the postgres OS user when tests run as root.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bookflow-test-'));
    fs.chmodSync(dir, 0o755);
    server = await startEmbeddedPostgres({ dataDir: dir });
    adminUrl = server.url;
  }
  try {
    const templateUrl = await ensureDatabase(adminUrl, TEMPLATE_DB);
    const app = await createApp({ config: { ...loadConfig({}), dataDir: dir ?? os.tmpdir(), secretKey: '0'.repeat(64) }, databaseUrl: templateUrl, logger: pino({ level: 'silent' }) });
    await app.close();
  } catch (e) {
    // vitest skips the teardown when setup fails: stop the server here, or the run hangs on it.
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  project.provide('pgAdminUrl', adminUrl);
  return async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
