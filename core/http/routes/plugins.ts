import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db, Role, Tx } from '../../../plugin-sdk.js';
import { createError } from '../../errors.js';
import { writeAudit } from '../../audit.js';
import type { PluginHost } from '../../plugins/host.js';

const IdParam = Type.Object({ id: Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$' }) });
const ConfigBody = Type.Object({ config: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false });
const EnabledBody = Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false });

async function saveEnabled(trx: Tx, tenantId: string, pluginId: string, enabled: boolean) {
  await trx.insertInto('tenant_plugins')
    .values({ tenant_id: tenantId, plugin_id: pluginId, enabled, config: JSON.stringify({}) })
    .onConflict((oc) => oc.columns(['tenant_id', 'plugin_id']).doUpdateSet({ enabled, updated_at: sql`now()` }))
    .execute();
}

/** who may read a plugin's config: those who may write it */
const CONFIG_EDITORS: Role[] = ['owner', 'admin'];

export function pluginRoutes(app: FastifyInstance, db: Db, host: PluginHost): void {
  app.get('/plugins', { schema: { tags: ['plugins'], summary: 'Installed plugins with this business’s state and schemas; the config only for owners and admins' }, config: { roles: ['owner', 'admin', 'manager', 'specialist'] } }, async (request) => ({
    items: await Promise.all(host.plugins.map(async (p) => ({
      id: p.manifest.id,
      version: p.manifest.version,
      name: p.manifest.name,
      description: p.manifest.description,
      dependencies: p.manifest.dependencies ?? {},
      enabled: await host.isEnabled(request.tenantId, p.manifest.id),
      // Configs hold provider keys and the like: only those who may change them read them.
      ...(CONFIG_EDITORS.includes(request.auth!.role!) ? {
        // A stored config that no longer passes the schema (a plugin upgrade) is shown as stored, so it can be fixed.
        // Secrets are write-only: `{set}` stands in for each.
        config: host.configSecrets.mask(p.manifest.id, await host.config(request.tenantId, p.manifest.id).catch(async () =>
          (await db.selectFrom('tenant_plugins').select('config').where('tenant_id', '=', request.tenantId).where('plugin_id', '=', p.manifest.id).executeTakeFirst())?.config)),
      } : {}),
      configSchema: p.manifest.configSchema ?? { type: 'object' },
      settingsPages: p.manifest.settingsPages ?? [],
      // What the studio shows of the plugin while it is enabled here: its pages in the navigation and its widgets.
      studio: { pages: p.manifest.studio?.pages ?? [], zones: p.manifest.studio?.zones ?? [] },
      nodeTypes: p.nodeTypes.map((n) => n.type),
    }))),
  }));

  app.put<{ Params: Static<typeof IdParam>; Body: Static<typeof ConfigBody> }>('/plugins/:id/config', {
    schema: {
      tags: ['plugins'], params: IdParam, body: ConfigBody,
      summary: 'Replace the plugin’s config; a bad config is refused and the old one stays. Secret (`x-secret`) fields are write-only: left out or sent back as `{set: true}` they keep the stored value, `null` clears them; answers show `{set}`',
    },
    config: { roles: CONFIG_EDITORS },
  }, async (request) => {
    const pluginId = request.params.id;
    host.get(pluginId);
    const secrets = host.configSecrets;
    const config = await db.transaction().execute(async (trx) => {
      // A first save has no row to lock: create it with the defaults first, so a concurrent first save
      // waits here and then reads this one's config as its `before`, not the defaults again.
      await trx.insertInto('tenant_plugins')
        .values({ tenant_id: request.tenantId, plugin_id: pluginId, enabled: await host.isEnabled(request.tenantId, pluginId, trx), config: JSON.stringify(secrets.seal(pluginId, host.validateConfig(pluginId, {}))) })
        .onConflict((oc) => oc.columns(['tenant_id', 'plugin_id']).doNothing())
        .execute();
      // The stored config as it is: after a plugin upgrade it may no longer pass the schema, and must still be replaceable.
      const row = await trx.selectFrom('tenant_plugins').select('config').where('tenant_id', '=', request.tenantId).where('plugin_id', '=', pluginId).forUpdate().executeTakeFirstOrThrow();
      // The schema checks the plaintext, secrets kept from the stored config included.
      const plain = host.validateConfig(pluginId, secrets.merge(pluginId, request.body.config, row.config));
      await trx.updateTable('tenant_plugins').set({ config: JSON.stringify(secrets.seal(pluginId, plain)), updated_at: sql`now()` }).where('tenant_id', '=', request.tenantId).where('plugin_id', '=', pluginId).execute();
      await host.changing(trx, request.tenantId);
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'plugin_config', entityId: pluginId, action: 'update', before: secrets.mask(pluginId, row.config), after: secrets.mask(pluginId, plain) });
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
      await saveEnabled(trx, request.tenantId, id, enabled);
      await host.changing(trx, request.tenantId);
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'plugin', entityId: id, action: enabled ? 'enable' : 'disable', before: { enabled: before }, after: { enabled } });
    });
    host.forget(request.tenantId);
    return { id, enabled };
  });
}
