import type { ValidateFunction } from 'ajv';
import type { Db, NodeRuntime, NodeTypeDefinition, PluginContext, Tx } from '../../plugin-sdk.js';
import type { PluginHost } from '../plugins/host.js';
import { createAjv } from '../validation.js';
import { CORE_NODE_TYPES } from './nodes/definitions.js';

export interface NodeTypeInfo extends NodeTypeDefinition {
  pluginId: string | null;
}

/** Core node types plus those of the plugins a business has enabled. */
export class NodeRegistry {
  private readonly defaults = new Map<string, ValidateFunction>();
  private readonly ajv = createAjv({ useDefaults: true });
  private runtimes?: Map<string, { runtime: NodeRuntime; ctx: PluginContext; pluginId: string }>;

  constructor(private readonly host: PluginHost) {}

  async forTenant(tenantId: string): Promise<NodeTypeInfo[]> {
    const out: NodeTypeInfo[] = CORE_NODE_TYPES.map((d) => ({ ...d, pluginId: null }));
    for (const p of this.host.plugins) {
      if (p.nodeTypes.length && (await this.host.isEnabled(tenantId, p.manifest.id))) out.push(...p.nodeTypes.map((d) => ({ ...d, pluginId: p.manifest.id })));
    }
    return out;
  }

  async mapForTenant(tenantId: string): Promise<Map<string, NodeTypeDefinition>> {
    return new Map((await this.forTenant(tenantId)).map((d) => [d.type, d]));
  }

  /** A plugin node's runtime, if its plugin is enabled for the business. `q`: the turn's transaction. */
  async pluginRuntime(tenantId: string, type: string, q?: Db | Tx) {
    this.runtimes ??= this.host.nodeRuntimes();
    const found = this.runtimes.get(type);
    if (!found || !(await this.host.isEnabled(tenantId, found.pluginId, q))) return undefined;
    return found;
  }

  /** The declaration of a core or plugin node type, whether or not a business enabled its plugin. */
  definition(type: string): NodeTypeDefinition | undefined {
    return CORE_NODE_TYPES.find((d) => d.type === type) ?? this.host.plugins.flatMap((p) => p.nodeTypes).find((d) => d.type === type);
  }

  /** A copy of the settings with the type schema's defaults filled in. */
  withDefaults(type: string, settings: Record<string, unknown>): Record<string, any> {
    let fill = this.defaults.get(type);
    if (!fill) {
      fill = this.ajv.compile(this.definition(type)?.settingsSchema ?? {});
      this.defaults.set(type, fill);
    }
    const copy = structuredClone(settings ?? {});
    fill(copy);
    return copy;
  }
}
