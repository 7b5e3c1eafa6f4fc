import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, Tx } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { writeAudit } from '../../audit.js';
import type { PluginHost } from '../../plugins/host.js';

const IdParam = Type.Object({ id: Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$' }) });
const ConfigBody = Type.Object({ config: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false });
const EnabledBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });

async function saveRow(trx: Tx, tenantId: string, pluginId: string, values: { enabled?: boolean; config?: unknown }, enabledNow: boolean) {
  await trx.insertInto('tenant_plugins')
    .values({ tenant_id: tenantId, plugin_id: pluginId, enabled: values.enabled ?? enabledNow, config: JSON.stringify(values.config ?? {}) })
    .onConflict((oc) => oc.columns(['tenant_id', 'plugin_id']).doUpdateSet({
      ...(values.enabled !== undefined ? { enabled: values.enabled } : {}),
      ...(values.config !== undefined ? { config: JSON.stringify(values.config) } : {}),
      updated_at: sql`now()`,
    }))
    .execute();
}

export function pluginRoutes(app: FastifyInstance, db: Db, host: PluginHost): void {
  app.get('/plugins', { schema: { tags: ['plugins'], summary: 'Installed plugins with this business’s state, config and schemas' }, config: { roles: ['owner', 'admin', 'manager', 'specialist'] } }, async (request) => ({
    items: await Promise.all(host.plugins.map(async (p) => ({
      id: p.manifest.id,
      version: p.manifest.version,
      name: p.manifest.name,
      description: p.manifest.description,
      dependencies: p.manifest.dependencies ?? {},
      enabled: await host.isEnabled(request.tenantId, p.manifest.id),
      // A stored config that no longer passes the schema (a plugin upgrade) is shown as stored, so it can be fixed.
      // Secrets are write-only: `{set}` stands in for each.
      config: host.configSecrets.mask(p.manifest.id, await host.config(request.tenantId, p.manifest.id).catch(async () =>
        (await db.selectFrom('tenant_plugins').select('config').where('tenant_id', '=', request.tenantId).where('plugin_id', '=', p.manifest.id).executeTakeFirst())?.config)),
      configSchema: p.manifest.configSchema ?? { type: 'object' },
      settingsPages: p.manifest.settingsPages ?? [],
      nodeTypes: p.nodeTypes.map((n) => n.type),
    }))),
  }));

  app.put<{ Params: Static<typeof IdParam>; Body: Static<typeof ConfigBody> }>('/plugins/:id/config', {
    schema: {
      tags: ['plugins'], params: IdParam, body: ConfigBody,
      summary: 'Replace the plugin’s config; a bad config is refused and the old one stays. Secret (`x-secret`) fields are write-only: left out or sent back as `{set: true}` they keep the stored value, `null` clears them; answers show `{set}`',
    },
    config: { roles: ['owner', 'admin'] },
  }, async (request) => {
    const pluginId = request.params.id;
    host.get(pluginId);
    const secrets = host.configSecrets;
    const config = await db.transaction().execute(async (trx) => {
      // The stored config as it is: after a plugin upgrade it may no longer pass the schema, and must still be replaceable.
      const row = await trx.selectFrom('tenant_plugins').select('config').where('tenant_id', '=', request.tenantId).where('plugin_id', '=', pluginId).forUpdate().executeTakeFirst();
      const before = row?.config ?? host.validateConfig(pluginId, {});
      // The schema checks the plaintext, secrets kept from the stored config included.
      const plain = host.validateConfig(pluginId, secrets.merge(pluginId, request.body.config, before));
      await saveRow(trx, request.tenantId, pluginId, { config: secrets.seal(pluginId, plain) }, await host.isEnabled(request.tenantId, pluginId, trx));
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'plugin_config', entityId: pluginId, action: 'update', before: secrets.mask(pluginId, before), after: secrets.mask(pluginId, plain) });
      return plain;
    });
    host.forget(request.tenantId);
    return { id: pluginId, config: secrets.mask(pluginId, config) };
  });

  app.put<{ Params: Static<typeof IdParam>; Body: Static<typeof EnabledBody> }>('/plugins/:id/enabled', {
    schema: { tags: ['plugins'], summary: 'Enable or disable a plugin for this business', params: IdParam, body: EnabledBody },
    config: { roles: ['owner', 'admin'] },
  }, async (request) => {
    const { id } = request.params;
    const { enabled } = request.body;
    const plugin = host.get(id);
    if (enabled) {
      for (const dep of Object.keys(plugin.manifest.dependencies ?? {})) {
        if (!(await host.isEnabled(request.tenantId, dep))) throw createError('BF_ERR_PLUGIN_DISABLED', { plugin: dep });
      }
    } else {
      for (const other of host.plugins) {
        if (other.manifest.dependencies?.[id] && (await host.isEnabled(request.tenantId, other.manifest.id))) {
          throw createError('BF_ERR_PLUGIN_REQUIRED_BY', { plugin: id, dependent: other.manifest.id });
        }
      }
    }
    const before = await host.isEnabled(request.tenantId, id);
    await db.transaction().execute(async (trx) => {
      await saveRow(trx, request.tenantId, id, { enabled }, before);
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'plugin', entityId: id, action: enabled ? 'enable' : 'disable', before: { enabled: before }, after: { enabled } });
    });
    host.forget(request.tenantId);
    return { id, enabled };
  });
}
