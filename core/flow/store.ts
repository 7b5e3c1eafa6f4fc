import type { Db } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import type { Graph } from './graph.js';
import { shapeIssues } from './validator.js';

/** A draft may be stored half-made (autosave); running it needs at least a well-formed graph. */
export function runnableDraft(draft: unknown, key: string): Graph {
  const errors = shapeIssues(draft);
  if (errors.length) throw createError('BF_ERR_FLOW_DRAFT_MALFORMED', { key, errors });
  return draft as Graph;
}

export interface PublishedFlow {
  id: string;
  key: string;
  /** the bot the flow is tied to; null serves every bot of the business */
  botId: string | null;
  version: number;
  graph: Graph;
}

const TENANT_TTL_MS = 5_000;
/** PATCH /tenant may change the time zone, in any instance; running engines see it within a minute. */
export const TIMEZONE_TTL_MS = 60_000;

/** Reads flows for the engine; published versions never change, so they are cached for good. */
export class FlowStore {
  private readonly versions = new Map<string, Graph>();
  private readonly tenants = new Map<string, { at: number; flows: Promise<PublishedFlow[]> }>();
  private readonly timezones = new Map<string, { at: number; tz: string }>();

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  async version(flowId: string, version: number): Promise<Graph> {
    const key = `${flowId}:${version}`;
    let graph = this.versions.get(key);
    if (!graph) {
      const row = await this.db.selectFrom('flow_versions').select('graph').where('flow_id', '=', flowId).where('version', '=', version).executeTakeFirst();
      if (!row) throw createError('BF_ERR_FLOW_VERSION_NOT_FOUND', { id: flowId, version });
      graph = row.graph as Graph;
      this.versions.set(key, graph);
    }
    return graph;
  }

  /** The business's published flows, the one with `firstKey` first. */
  async published(tenantId: string, firstKey?: string): Promise<PublishedFlow[]> {
    let entry = this.tenants.get(tenantId);
    if (!entry || Date.now() - entry.at > TENANT_TTL_MS) {
      entry = { at: Date.now(), flows: this.loadPublished(tenantId) };
      this.tenants.set(tenantId, entry);
      entry.flows.catch(() => this.tenants.delete(tenantId));
    }
    const flows = await entry.flows;
    return firstKey ? [...flows.filter((f) => f.key === firstKey), ...flows.filter((f) => f.key !== firstKey)] : flows;
  }

  private async loadPublished(tenantId: string): Promise<PublishedFlow[]> {
    const rows = await this.db.selectFrom('flows').select(['id', 'key', 'bot_id', 'published_version']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('published_version', 'is not', null).orderBy('created_at').execute();
    return Promise.all(rows.map(async (r) => ({ id: r.id, key: r.key, botId: r.bot_id, version: r.published_version, graph: await this.version(r.id, r.published_version) })));
  }

  /** A flow by key: its published version, or its current draft for test chats. */
  async byKey(tenantId: string, key: string, draft: boolean): Promise<{ id: string; version: number | null; graph: Graph }> {
    const row = await this.db.selectFrom('flows').select(['id', 'published_version', 'draft']).where('tenant_id', '=', tenantId).where('key', '=', key).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw createError('BF_ERR_FLOW_NOT_FOUND', { id: key });
    if (draft) return { id: row.id, version: null, graph: runnableDraft(row.draft, key) };
    if (row.published_version === null) throw createError('BF_ERR_FLOW_NOT_PUBLISHED', { key });
    return { id: row.id, version: row.published_version, graph: await this.version(row.id, row.published_version) };
  }

  async timezone(tenantId: string): Promise<string> {
    const cached = this.timezones.get(tenantId);
    if (cached && this.now() - cached.at < TIMEZONE_TTL_MS) return cached.tz;
    const tz = (await this.db.selectFrom('tenants').select('timezone').where('id', '=', tenantId).executeTakeFirstOrThrow()).timezone as string;
    this.timezones.set(tenantId, { at: this.now(), tz });
    return tz;
  }

  /** Called after a publish or rollback in this process. */
  forget(tenantId: string): void {
    this.tenants.delete(tenantId);
  }
}
