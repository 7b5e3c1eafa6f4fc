import crypto from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../../plugin-sdk.js';
import { hashPassword } from '../auth/passwords.js';
import type { PluginHost } from '../plugins/host.js';
import { writeAudit } from '../audit.js';
import { CORE_NODE_TYPES } from '../flow/nodes/definitions.js';
import { readTemplate, seedTemplate } from './template.js';

export const DEMO_SLUG = 'demo';
export const DEFAULT_ADMIN_EMAIL = 'owner@bookflow.local';
/** The demo business's bot and flows: a template folder (data; see templates/demo-salon/template.json). */
export const DEMO_TEMPLATE_DIR = path.resolve(import.meta.dirname, '..', '..', 'templates', 'demo-salon');

/**
 * Creates the owner account once (from ADMIN_EMAIL / ADMIN_PASSWORD, or a
 * generated password returned to be printed once). A set ADMIN_PASSWORD is
 * re-applied on each start so the documented credentials always work.
 */
export async function ensureOwner(db: Db, email = DEFAULT_ADMIN_EMAIL, password?: string): Promise<{ userId: string; email: string; generatedPassword?: string }> {
  const existing = await db.selectFrom('users').select('id').where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
  if (existing) {
    if (password) await db.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', existing.id).execute();
    return { userId: existing.id, email };
  }
  const generated = password ? undefined : crypto.randomBytes(12).toString('base64url');
  const row = await db.insertInto('users').values({ email, name: 'Owner', password_hash: await hashPassword(password ?? generated!) }).returning('id').executeTakeFirstOrThrow();
  return { userId: row.id, email, generatedPassword: generated };
}

/**
 * Seeds the demo business on first run, in one transaction: the tenant, its owner, default plugins, the
 * template's bot and flows (those whose node types the loaded plugins provide), then each plugin's demo data.
 */
export async function ensureDemoTenant(db: Db, host: PluginHost, ownerId: string, name: string, opts: { templateDir?: string } = {}): Promise<{ tenantId: string; created: boolean }> {
  const existing = await db.selectFrom('tenants').select('id').where('slug', '=', DEMO_SLUG).executeTakeFirst();
  if (existing) return { tenantId: existing.id, created: false };
  const template = readTemplate(opts.templateDir ?? DEMO_TEMPLATE_DIR);
  const nodeTypes = new Set([...CORE_NODE_TYPES, ...host.plugins.flatMap((p) => p.nodeTypes)].map((d) => d.type));
  const tenantId = await db.transaction().execute(async (trx) => {
    const tenant = await trx.insertInto('tenants').values({ slug: DEMO_SLUG, name, timezone: 'Europe/Moscow', locale: 'ru', currency: 'RUB' }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('memberships').values({ tenant_id: tenant.id, user_id: ownerId, role: 'owner' }).execute();
    for (const p of host.plugins) {
      await trx.insertInto('tenant_plugins').values({ tenant_id: tenant.id, plugin_id: p.manifest.id, enabled: (p.manifest.enabledByDefault ?? false) || template.enable.includes(p.manifest.id), config: JSON.stringify(host.configSecrets.seal(p.manifest.id, host.validateConfig(p.manifest.id, {}))) }).execute();
    }
    await host.changing(trx, tenant.id);
    await seedTemplate(trx, tenant.id, template, nodeTypes, host.log);
    for (const p of host.plugins) await p.server.seedDemo?.(p.ctx, trx, tenant.id);
    await writeAudit(trx, { tenantId: tenant.id, actorId: null, entity: 'tenant', entityId: tenant.id, action: 'seed-demo' });
    return tenant.id;
  });
  host.forget(tenantId);
  return { tenantId, created: true };
}
