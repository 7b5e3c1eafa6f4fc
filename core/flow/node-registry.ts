import type { ValidateFunction } from 'ajv';
import type { Db, NodeRuntime, NodeTypeDefinition, PluginContext, Tx } from '../../plugin-sdk.js';
import type { PluginHost } from '../plugins/host.js';
import { createAjv } from '../validation.js';
import { CORE_NODE_TYPES } from './nodes/definitions.js';
import { eventTriggerType, triggerableEvents, type TriggerableEvent } from './triggers/event-trigger-type.js';

export interface NodeTypeInfo extends NodeTypeDefinition {
  pluginId: string | null;
}

/** Core node types plus those of the plugins a business has enabled. */
export class NodeRegistry {
  private readonly defaults = new Map<string, ValidateFunction>();
  private readonly ajv = createAjv({ useDefaults: true });
  private runtimes?: Map<string, { runtime: NodeRuntime; ctx: PluginContext; pluginId: string }>;
  /** the installed plugins' events a flow can be started by */
  readonly events: TriggerableEvent[];
  /** core's node types, `trigger.event` made from the installed plugins' events (plugins are loaded before this) */
  private readonly core: NodeTypeDefinition[];

  constructor(private readonly host: PluginHost) {
    this.events = triggerableEvents(host.plugins.map((p) => p.manifest));
    this.core = [...CORE_NODE_TYPES, eventTriggerType(this.events)];
  }

  async forTenant(tenantId: string): Promise<NodeTypeInfo[]> {
    const out: NodeTypeInfo[] = this.core.map((d) => ({ ...d, pluginId: null }));
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

  /**
   * Whether a node of this type cannot run for the business: its plugin is installed but switched off there.
   * Core types and types nobody provides are not "off" (the latter fail as unknown).
   */
  async isOff(tenantId: string, type: string, q?: Db | Tx): Promise<boolean> {
    this.runtimes ??= this.host.nodeRuntimes();
    const found = this.runtimes.get(type);
    return Boolean(found) && !(await this.host.isEnabled(tenantId, found!.pluginId, q));
  }

  /** Whether the business has switched off any installed plugin that provides steps (usually not: then nothing is hidden). */
  async anyOff(tenantId: string, q?: Db | Tx): Promise<boolean> {
    for (const p of this.host.plugins) if (p.nodeTypes.length && !(await this.host.isEnabled(tenantId, p.manifest.id, q))) return true;
    return false;
  }

  /** A type's definition, core's or any installed plugin's. */
  definition(type: string): NodeTypeDefinition | undefined {
    return this.core.find((d) => d.type === type) ?? this.host.plugins.flatMap((p) => p.nodeTypes).find((d) => d.type === type);
  }

  /** Whether a node of this type starts flows (core's chat and event triggers, plugins' trigger types). */
  isTrigger(type: string): boolean {
    return this.definition(type)?.category === 'trigger';
  }

  /** A copy of the settings with the type schema's defaults filled in. */
  withDefaults(type: string, settings: Record<string, unknown>): Record<string, any> {
    let fill = this.defaults.get(type);
    if (!fill) {
      const def = this.definition(type);
      fill = this.ajv.compile(def?.settingsSchema ?? {});
      this.defaults.set(type, fill);
    }
    const copy = structuredClone(settings ?? {});
    fill(copy);
    return copy;
  }
}
