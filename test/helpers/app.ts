import crypto from 'node:crypto';
import os from 'node:os';
import { pino } from 'pino';
import { createApp, type App } from '../../core/app.js';
import { loadConfig, type AppConfig } from '../../core/config.js';
import { processClock, type ShiftedClock } from '../../core/clock.js';
import { ensureDemoTenant, ensureOwner } from '../../core/seed/bootstrap.js';
import { freshDatabase } from './db.js';

export interface TestApp {
  app: App;
  url: string;
  databaseUrl: string;
  owner: { email: string; password: string; userId: string };
  demoTenantId: string;
  /** the app's clock: set or advance it to move "now" for this server (it runs on in real time) */
  clock: ShiftedClock;
  /** fetch against the running server, JSON in and out */
  api(method: string, path: string, opts?: { token?: string; body?: unknown; tenant?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  login(email: string, password: string): Promise<string>;
  /** Invites the email into a business (the owner's first, or `tenant`) and accepts the link as the invitee, over HTTP. */
  addMember(inviterToken: string, email: string, role: string, opts?: { tenant?: string; password?: string; name?: string }): Promise<Member>;
  close(): Promise<void>;
}

export interface Member { userId: string; token: string; email: string; password: string }

/** The clock every test app starts from (moved by BOOKFLOW_FAKE_NOW): compute dates from it, not from Date.now(). */
export { processClock };

export const OWNER = { email: 'owner@test.local', password: 'owner-password-1' };

export interface TestAppOptions {
  pluginsDir?: string;
  /**
   * Only these plugins of the folder and the ones they depend on (their manifests' dependencies, transitively):
   * a plugin's tests start its own world, not every plugin's migrations, jobs and routes.
   */
  plugins?: string[];
  databaseUrl?: string;
  config?: Partial<AppConfig>;
  seedDemo?: boolean;
  start?: boolean;
  clock?: ShiftedClock;
}

/** The real server on a real port over a fresh database, with the owner and the demo business seeded. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = opts.databaseUrl ?? (await freshDatabase());
  // SMS.ru's root is a closed local port unless a test brings the stand-in: no test may text through the real one.
  const config: AppConfig = { ...loadConfig({}), adminEmail: OWNER.email, dataDir: os.tmpdir(), secretKey: crypto.randomBytes(32).toString('hex'), smsRuApiRoot: 'http://127.0.0.1:9', ...opts.config };
  // Its own copy of the process clock (moved by BOOKFLOW_FAKE_NOW in moved-clock runs), so a test may move it alone.
  const clock = opts.clock ?? processClock.fork();
  const app = await createApp({ config, databaseUrl, pluginsDir: opts.pluginsDir, plugins: opts.plugins, logger: pino({ level: process.env.TEST_LOG ?? 'silent' }), jobsProcessEvery: 200, clock });
  const owner = await ensureOwner(app.db.db, OWNER.email, OWNER.password);
  const demo = opts.seedDemo === false ? { tenantId: '' } : await ensureDemoTenant(app.db.db, app.host, owner.userId, 'Demo');
  if (opts.start !== false) await app.start();
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const address = app.http.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const api: TestApp['api'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.tenant) headers['x-tenant'] = o.tenant;
    const res = await fetch(url + path, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    const text = await res.text();
    let body: any = text;
    try { body = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
    return { status: res.status, body, headers: res.headers };
  };
  return {
    app, url, databaseUrl, api, clock,
    owner: { ...OWNER, userId: owner.userId },
    demoTenantId: demo.tenantId,
    async login(email, password) {
      const res = await api('POST', '/api/v1/auth/login', { body: { email, password } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
    async addMember(inviterToken, email, role, o = {}) {
      const invited = await api('POST', '/api/v1/members/invitations', { token: inviterToken, tenant: o.tenant, body: { email, role } });
      if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
      const password = o.password ?? `${role}-pass-${crypto.randomBytes(4).toString('hex')}`;
      const token = new URL(invited.body.link).pathname.split('/').pop();
      const accepted = await api('POST', `/api/v1/invitations/${token}/accept`, { body: { password, ...(o.name === undefined ? {} : { name: o.name }) } });
      if (accepted.status !== 200) throw new Error(`accepting the invitation failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      return { userId: accepted.body.userId, token: accepted.body.token, email, password };
    },
    close: () => app.close(),
  };
}
