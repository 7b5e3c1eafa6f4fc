import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Db, Locale, Tx } from '../../plugin-sdk.js';
import { createError } from '../errors.js';
import { writeAudit } from '../audit.js';
import { emitEvent } from '../outbox/emit.js';
import { emptyGraph, type Graph, type ValidationIssue } from './graph.js';
import { GRAPH_SCHEMA } from './schema.js';
import { validateGraph } from './validator.js';
import type { NodeRegistry } from './node-registry.js';
import type { FlowStore } from './store.js';
import { syncFlowTriggers } from './triggers/subscriptions.js';

const EDITORS = ['owner', 'admin', 'manager'] as const;
const Key = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });
const GraphBody = Type.Record(Type.String(), Type.Unknown(), { description: 'a flow graph, see GET /api/v1/flow-schema' });
const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
const NewFlow = Type.Object({ key: Key, name: Type.String({ minLength: 1, maxLength: 200 }), graph: Type.Optional(GraphBody), botId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])) }, { additionalProperties: false });
const FlowPatch = Type.Object({ key: Type.Optional(Key), name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), botId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])) }, { additionalProperties: false, minProperties: 1 });
const DraftBody = Type.Object({ graph: GraphBody }, { additionalProperties: false });
const RollbackBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

type FlowRow = { id: string; key: string; name: string; bot_id: string | null; draft: Graph; published_version: number | null; updated_at: Date };

async function findFlow(db: Db | Tx, tenantId: string, id: string, lock = false): Promise<FlowRow> {
  let q = db.selectFrom('flows').select(['id', 'key', 'name', 'bot_id', 'draft', 'published_version', 'updated_at']).where('tenant_id', '=', tenantId).where('id', '=', id).where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw createError('BF_ERR_FLOW_NOT_FOUND', { id });
  return row as FlowRow;
}

async function keyTaken(trx: Tx, tenantId: string, key: string, except?: string): Promise<void> {
  let q = trx.selectFrom('flows').select('id').where('tenant_id', '=', tenantId).where('key', '=', key).where('deleted_at', 'is', null);
  if (except) q = q.where('id', '<>', except);
  if (await q.executeTakeFirst()) throw createError('BF_ERR_FLOW_KEY_TAKEN', { key });
}

async function checkBot(trx: Tx, tenantId: string, botId: string | null | undefined): Promise<void> {
  if (!botId) return;
  const bot = await trx.selectFrom('bots').select('id').where('tenant_id', '=', tenantId).where('id', '=', botId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!bot) throw createError('BF_ERR_BOT_NOT_FOUND', { id: botId });
}

const summary = (f: FlowRow) => ({ id: f.id, key: f.key, name: f.name, botId: f.bot_id, updatedAt: f.updated_at, publishedVersion: f.published_version });

/**
 * Flow editing for the studio: drafts (autosaved, may be invalid), validation, publishing, versions and rollback.
 * `liveChanged` runs once a change of the live flows committed (publish, rollback, rename, delete): the bots'
 * menus follow them.
 */
export function flowRoutes(app: FastifyInstance, db: Db, registry: NodeRegistry, store: FlowStore, liveChanged: (tenantId: string) => Promise<void>): void {
  const liveFlowsChanged = (request: FastifyRequest) => {
    store.forget(request.tenantId);
    // Not awaited: a slow Bot API must not hold up the studio's publish.
    liveChanged(request.tenantId).catch((e) => request.log.warn({ err: e }, 'updating the bots after a flow change failed'));
  };

  const validate = async (tenantId: string, graph: unknown): Promise<ValidationIssue[]> => {
    const keys = await db.selectFrom('flows').select('key').where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).execute();
    const { locale } = await db.selectFrom('tenants').select('locale').where('id', '=', tenantId).executeTakeFirstOrThrow();
    return validateGraph(graph, await registry.mapForTenant(tenantId), { flowKeys: new Set(keys.map((k) => k.key)), locale: locale as Locale });
  };

  app.get('/flow-schema', { schema: { tags: ['flows'], summary: 'JSON Schema of a flow graph (schemaVersion 1)' }, config: { roles: 'signed-in' } }, async () => GRAPH_SCHEMA);

  app.get('/flow-node-types', { schema: { tags: ['flows'], summary: 'Node types for the palette: core and enabled plugins' }, config: { roles: [...EDITORS] } }, async (request) => ({
    items: await registry.forTenant(request.tenantId),
  }));

  app.get('/flows', { schema: { tags: ['flows'] }, config: { roles: [...EDITORS] } }, async (request) => ({
    items: (await db.selectFrom('flows').select(['id', 'key', 'name', 'bot_id', 'draft', 'published_version', 'updated_at']).where('tenant_id', '=', request.tenantId).where('deleted_at', 'is', null).orderBy('created_at').orderBy('key').execute()).map((f) => summary(f as FlowRow)),
  }));

  app.post<{ Body: Static<typeof NewFlow> }>('/flows', { schema: { tags: ['flows'], body: NewFlow }, config: { roles: [...EDITORS] } }, async (request, reply) => {
    const { key, name, graph, botId } = request.body;
    const flow = await db.transaction().execute(async (trx) => {
      await keyTaken(trx, request.tenantId, key);
      await checkBot(trx, request.tenantId, botId);
      const row = await trx.insertInto('flows').values({ tenant_id: request.tenantId, key, name, bot_id: botId ?? null, draft: JSON.stringify(graph ?? emptyGraph()) })
        .returning(['id', 'key', 'name', 'bot_id', 'draft', 'published_version', 'updated_at']).executeTakeFirstOrThrow();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'flow', entityId: row.id, action: 'create', after: { key, name } });
      return row as FlowRow;
    });
    return reply.status(201).send({ ...summary(flow), draft: flow.draft });
  });

  app.get<{ Params: Static<typeof IdParam> }>('/flows/:id', { schema: { tags: ['flows'], params: IdParam }, config: { roles: [...EDITORS] } }, async (request) => {
    const f = await findFlow(db, request.tenantId, request.params.id);
    return { ...summary(f), draft: f.draft };
  });

  app.patch<{ Params: Static<typeof IdParam>; Body: Static<typeof FlowPatch> }>('/flows/:id', { schema: { tags: ['flows'], params: IdParam, body: FlowPatch }, config: { roles: [...EDITORS] } }, async (request) => {
    const f = await db.transaction().execute(async (trx) => {
      const before = await findFlow(trx, request.tenantId, request.params.id, true);
      if (request.body.key) await keyTaken(trx, request.tenantId, request.body.key, before.id);
      await checkBot(trx, request.tenantId, request.body.botId);
      const { key, name, botId } = request.body;
      const after = await trx.updateTable('flows').set({ ...(key ? { key } : {}), ...(name ? { name } : {}), ...(botId !== undefined ? { bot_id: botId } : {}), updated_at: sql`now()` })
        .where('id', '=', before.id).returning(['id', 'key', 'name', 'bot_id', 'draft', 'published_version', 'updated_at']).executeTakeFirstOrThrow();
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'flow', entityId: before.id, action: 'update', before: summary(before), after: summary(after as FlowRow) });
      return after as FlowRow;
    });
    liveFlowsChanged(request);
    return summary(f);
  });

  const isTrigger = (type: string) => registry.isTrigger(type);

  app.delete<{ Params: Static<typeof IdParam> }>('/flows/:id', { schema: { tags: ['flows'], params: IdParam }, config: { roles: ['owner', 'admin'] } }, async (request, reply) => {
    await db.transaction().execute(async (trx) => {
      const before = await findFlow(trx, request.tenantId, request.params.id, true);
      await trx.updateTable('flows').set({ deleted_at: sql`now()` }).where('id', '=', before.id).execute();
      // Restored from the trash it is unpublished for triggers until published again.
      await syncFlowTriggers(trx, request.tenantId, before.id, null, isTrigger);
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'flow', entityId: before.id, action: 'delete', before: summary(before) });
    });
    liveFlowsChanged(request);
    return reply.status(204).send();
  });

  app.put<{ Params: Static<typeof IdParam>; Body: Static<typeof DraftBody> }>('/flows/:id/draft', {
    schema: { tags: ['flows'], summary: 'Autosave the draft; an invalid draft is stored and its problems returned', params: IdParam, body: DraftBody },
    config: { roles: [...EDITORS] },
  }, async (request) => {
    const updatedAt = await db.transaction().execute(async (trx) => {
      const before = await findFlow(trx, request.tenantId, request.params.id, true);
      const row = await trx.updateTable('flows').set({ draft: JSON.stringify(request.body.graph), updated_at: sql`now()` }).where('id', '=', before.id).returning('updated_at').executeTakeFirstOrThrow();
      // Autosave runs every few seconds: the audit keeps who saved when, not every graph.
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'flow', entityId: before.id, action: 'save-draft' });
      return row.updated_at as Date;
    });
    return { updatedAt, errors: await validate(request.tenantId, request.body.graph) };
  });

  app.post<{ Body: Static<typeof DraftBody> }>('/flows/validate', { schema: { tags: ['flows'], body: DraftBody }, config: { roles: [...EDITORS] } }, async (request) => {
    const errors = await validate(request.tenantId, request.body.graph);
    return { valid: errors.length === 0, errors };
  });

  app.post<{ Params: Static<typeof IdParam> }>('/flows/:id/publish', { schema: { tags: ['flows'], summary: 'Validate the draft and publish it as the next version', params: IdParam }, config: { roles: [...EDITORS] } }, async (request) => {
    const version = await db.transaction().execute(async (trx) => {
      const f = await findFlow(trx, request.tenantId, request.params.id, true);
      const errors = await validate(request.tenantId, f.draft);
      if (errors.length) throw createError('BF_ERR_FLOW_INVALID', { count: errors.length, errors });
      const last = await trx.selectFrom('flow_versions').select((eb) => eb.fn.max('version').as('v')).where('flow_id', '=', f.id).executeTakeFirst();
      const next = Number(last?.v ?? 0) + 1;
      await trx.insertInto('flow_versions').values({ flow_id: f.id, version: next, graph: JSON.stringify(f.draft), published_by: request.auth!.userId }).execute();
      await trx.updateTable('flows').set({ published_version: next, updated_at: sql`now()` }).where('id', '=', f.id).execute();
      await syncFlowTriggers(trx, request.tenantId, f.id, { version: next, graph: f.draft }, isTrigger);
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'flow', entityId: f.id, action: 'publish', before: { version: f.published_version }, after: { version: next } });
      await emitEvent(trx, request.tenantId, 'flow.published', { flowId: f.id, key: f.key, version: next });
      return next;
    });
    liveFlowsChanged(request);
    return { version };
  });

  app.post<{ Params: Static<typeof IdParam> }>('/flows/:id/unpublish', {
    schema: { tags: ['flows'], summary: 'Take the flow offline: no trigger starts it any more (dialogs already in it run on; versions are kept)', params: IdParam },
    config: { roles: [...EDITORS] },
  }, async (request) => {
    await db.transaction().execute(async (trx) => {
      const f = await findFlow(trx, request.tenantId, request.params.id, true);
      await trx.updateTable('flows').set({ published_version: null, updated_at: sql`now()` }).where('id', '=', f.id).execute();
      await syncFlowTriggers(trx, request.tenantId, f.id, null, isTrigger);
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'flow', entityId: f.id, action: 'unpublish', before: { version: f.published_version }, after: { version: null } });
    });
    liveFlowsChanged(request);
    return { version: null };
  });

  app.get<{ Params: Static<typeof IdParam> }>('/flows/:id/versions', { schema: { tags: ['flows'], params: IdParam }, config: { roles: [...EDITORS] } }, async (request) => {
    const f = await findFlow(db, request.tenantId, request.params.id);
    const rows = await db.selectFrom('flow_versions').select(['version', 'published_at', 'published_by']).where('flow_id', '=', f.id).orderBy('version', 'desc').execute();
    return { items: rows.map((r) => ({ version: r.version, publishedAt: r.published_at, publishedBy: r.published_by, current: r.version === f.published_version })) };
  });

  app.get<{ Params: Static<typeof IdParam> & { version: number } }>('/flows/:id/versions/:version', {
    schema: { tags: ['flows'], params: Type.Object({ id: Type.String({ format: 'uuid' }), version: Type.Integer({ minimum: 1 }) }) },
    config: { roles: [...EDITORS] },
  }, async (request) => {
    const f = await findFlow(db, request.tenantId, request.params.id);
    const row = await db.selectFrom('flow_versions').select(['version', 'graph', 'published_at', 'published_by']).where('flow_id', '=', f.id).where('version', '=', request.params.version).executeTakeFirst();
    if (!row) throw createError('BF_ERR_FLOW_VERSION_NOT_FOUND', { id: f.id, version: request.params.version });
    return { version: row.version, graph: row.graph, publishedAt: row.published_at, publishedBy: row.published_by };
  });

  app.post<{ Params: Static<typeof IdParam>; Body: Static<typeof RollbackBody> }>('/flows/:id/rollback', {
    schema: { tags: ['flows'], summary: 'Make an earlier published version the live one again (the draft is kept)', params: IdParam, body: RollbackBody },
    config: { roles: [...EDITORS] },
  }, async (request) => {
    await db.transaction().execute(async (trx) => {
      const f = await findFlow(trx, request.tenantId, request.params.id, true);
      const exists = await trx.selectFrom('flow_versions').select('version').where('flow_id', '=', f.id).where('version', '=', request.body.version).executeTakeFirst();
      if (!exists) throw createError('BF_ERR_FLOW_VERSION_NOT_FOUND', { id: f.id, version: request.body.version });
      await trx.updateTable('flows').set({ published_version: request.body.version, updated_at: sql`now()` }).where('id', '=', f.id).execute();
      await syncFlowTriggers(trx, request.tenantId, f.id, { version: request.body.version, graph: await store.version(f.id, request.body.version) }, isTrigger);
      await writeAudit(trx, { tenantId: request.tenantId, actorId: request.auth!.userId, entity: 'flow', entityId: f.id, action: 'rollback', before: { version: f.published_version }, after: { version: request.body.version } });
      await emitEvent(trx, request.tenantId, 'flow.published', { flowId: f.id, key: f.key, version: request.body.version, rollback: true });
    });
    liveFlowsChanged(request);
    return { version: request.body.version };
  });
}
