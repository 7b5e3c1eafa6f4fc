import type { Db, Tx } from '../../plugin-sdk.js';
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

/**
 * Reads flows for the engine; published versions never change, so they are cached for good. `q`: the turn's
 * transaction, when the caller holds one (a second pool connection per turn could starve the pool).
 */
export class FlowStore {
  private readonly versions = new Map<string, Graph>();
  private readonly tenants = new Map<string, { at: number; flows: Promise<PublishedFlow[]> }>();

  constructor(private readonly db: Db) {}

  async version(flowId: string, version: number, q: Db | Tx = this.db): Promise<Graph> {
    const key = `${flowId}:${version}`;
    let graph = this.versions.get(key);
    if (!graph) {
      const row = await q.selectFrom('flow_versions').select('graph').where('flow_id', '=', flowId).where('version', '=', version).executeTakeFirst();
      if (!row) throw createError('BF_ERR_FLOW_VERSION_NOT_FOUND', { id: flowId, version });
      graph = row.graph as Graph;
      this.versions.set(key, graph);
    }
    return graph;
  }

  /** The business's published flows, the one with `firstKey` first. */
  async published(tenantId: string, firstKey?: string, q: Db | Tx = this.db): Promise<PublishedFlow[]> {
    let entry = this.tenants.get(tenantId);
    if (!entry || Date.now() - entry.at > TENANT_TTL_MS) {
      entry = { at: Date.now(), flows: this.loadPublished(tenantId, q) };
      this.tenants.set(tenantId, entry);
      entry.flows.catch(() => this.tenants.delete(tenantId));
    }
    const flows = await entry.flows;
    return firstKey ? [...flows.filter((f) => f.key === firstKey), ...flows.filter((f) => f.key !== firstKey)] : flows;
  }

  private async loadPublished(tenantId: string, q: Db | Tx): Promise<PublishedFlow[]> {
    const rows = await q.selectFrom('flows').select(['id', 'key', 'bot_id', 'published_version']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).where('published_version', 'is not', null).orderBy('created_at').execute();
    // One at a time: a transaction's connection runs one query at a time anyway.
    const out: PublishedFlow[] = [];
    for (const r of rows) out.push({ id: r.id, key: r.key, botId: r.bot_id, version: r.published_version, graph: await this.version(r.id, r.published_version, q) });
    return out;
  }

  /** A flow by key: its published version, or its current draft for test chats. */
  async byKey(tenantId: string, key: string, draft: boolean, q: Db | Tx = this.db): Promise<{ id: string; version: number | null; graph: Graph }> {
    const row = await q.selectFrom('flows').select(['id', 'published_version', 'draft']).where('tenant_id', '=', tenantId).where('key', '=', key).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw createError('BF_ERR_FLOW_NOT_FOUND', { id: key });
    if (draft) return { id: row.id, version: null, graph: runnableDraft(row.draft, key) };
    if (row.published_version === null) throw createError('BF_ERR_FLOW_NOT_PUBLISHED', { key });
    return { id: row.id, version: row.published_version, graph: await this.version(row.id, row.published_version, q) };
  }

  /** Called after a publish or rollback in this process. */
  forget(tenantId: string): void {
    this.tenants.delete(tenantId);
  }
}
