import type { FastifyInstance } from 'fastify';
import { createError } from '../errors.js';
import type { PluginHost } from './host.js';

/**
 * Each plugin's routes live in their own encapsulated context under /api/v1,
 * so its decorators and hooks stay its own; a business that has not enabled
 * the plugin gets BF_ERR_PLUGIN_DISABLED.
 */
export async function mountPluginRoutes(api: FastifyInstance, host: PluginHost): Promise<void> {
  for (const plugin of host.plugins) {
    const { routes } = plugin.server;
    if (!routes) continue;
    const pluginId = plugin.manifest.id;
    await api.register(async (scope) => {
      scope.addHook('preHandler', async (request) => {
        if (request.tenantId && !(await host.isEnabled(request.tenantId, pluginId))) throw createError('BF_ERR_PLUGIN_DISABLED', { plugin: pluginId });
      });
      await routes(scope, plugin.ctx);
    });
  }
}
