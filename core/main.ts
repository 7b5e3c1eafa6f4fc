/**
 * `npm start`: the product on an embedded PostgreSQL (or DATABASE_URL), with the
 * demo business seeded on first run. SIGTERM/SIGINT shut down gracefully.
 */
import path from 'node:path';
import { loadConfig, SMSRU_ROOT } from './config.js';
import { guardedApiRoot } from './api-roots.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.js';
import { ensureDatabase } from './db/provision.js';
import { createApp } from './app.js';
import { ensureDemoTenant, ensureOwner } from './seed/bootstrap.js';
import { passwordProblem } from './auth/password-policy.js';

const config = loadConfig();
let embedded: EmbeddedServer | undefined;
let databaseUrl = config.databaseUrl;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: Number(process.env.EMBEDDED_PG_PORT) || undefined });
  databaseUrl = await ensureDatabase(embedded.url, 'bookflow');
}

const app = await createApp({ config, databaseUrl, pluginsDir: config.pluginsDir }).catch(async (e) => {
  await embedded?.stop();
  throw e;
});
const owner = await ensureOwner(app.db.db, config.adminEmail, config.adminPassword);
// The operator's choice, applied as given; the rules for passwords people choose only warn here.
const weakAdmin = config.adminPassword === undefined ? undefined : passwordProblem(config.adminPassword);
if (weakAdmin) app.log.warn({ reason: weakAdmin }, 'ADMIN_PASSWORD would be refused as a chosen password (%s); consider a longer, uncommon one', weakAdmin);
// loadConfig has no logger: a refused SMSRU_API_ROOT is told here (plugins' roots when they first ask ctx.externalApiRoot).
guardedApiRoot(app.log, SMSRU_ROOT.variable, SMSRU_ROOT.real);
const demo = await ensureDemoTenant(app.db.db, app.host, owner.userId, app.host.t('ru', 'demo.businessName'));
await app.start();
await app.http.listen({ port: config.port, host: config.host });

const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
const base = `http://${shownHost}:${config.port}`;
if (owner.generatedPassword) console.log(app.host.t('en', 'startup.adminCreated', { email: owner.email, password: owner.generatedPassword }));
if (demo.created) app.log.info({ tenant: 'demo' }, 'demo business seeded');
console.log(app.host.t('en', 'startup.studio', { url: `${base}/studio` }));
console.log(`API docs: ${base}/docs · data: ${embedded ? path.join(config.dataDir, 'pg') : 'DATABASE_URL'}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 30_000);
  force.unref();
  let code = 0;
  try {
    await app.close();
  } catch (e) {
    app.log.error({ err: e }, 'shutdown failed');
    code = 1;
  }
  await embedded?.stop();
  process.exit(code);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
