import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Db, PluginContext, Tx } from '../../../plugin-sdk.js';
import { allBookings, bonusPercent, statusOf } from '../lib/status.js';
import { assertCanSee, cardRows, cardView, marksOf, seesConfidential } from '../lib/cards.js';
import { crmConfig } from '../lib/config.js';
import { ensureMorning } from '../lib/morning.js';
import { assertKnownChoices } from '../lib/card-choices.js';
import { CardPatch, ContactParam, EVERYONE, MarksQuery, PreferencesBody, STAFF } from './schemas.js';

const COLUMNS: Record<keyof Static<typeof CardPatch>, string> = {
  color: 'color', earlierThan: 'earlier_than', earlierComment: 'earlier_comment', fixedResourceId: 'fixed_resource_id', locked: 'locked', publicNote: 'public_note',
  confidentialNote: 'confidential_note', survey: 'survey', parking: 'parking', bonusPercent: 'bonus_percent', privileges: 'privileges',
  contractNumber: 'contract_number', contractDate: 'contract_date', priorVisits: 'prior_visits',
};

async function knownContact(ctx: PluginContext, q: Db | Tx, tenantId: string, contactId: string) {
  const contact = await ctx.contacts.get(q, tenantId, contactId);
  if (!contact) throw ctx.error('BF_ERR_CRM_CONTACT_NOT_FOUND', { id: contactId });
  return contact;
}

async function staffResource(ctx: PluginContext, tenantId: string, id: string) {
  const r = (await ctx.service('booking').resources(tenantId)).find((x) => x.id === id && x.kind === 'staff');
  if (!r) throw ctx.error('BF_ERR_CRM_RESOURCE_NOT_FOUND', { id });
  return r;
}

export function cardRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.get<{ Params: Static<typeof ContactParam> }>('/crm/cards/:contactId', {
    schema: { tags: ['crm'], summary: 'The guest card (the confidential note only for owners and admins)', params: ContactParam }, config: { roles: [...EVERYONE] },
  }, async (request) => {
    const { tenantId, auth } = request;
    const contact = await knownContact(ctx, ctx.db, tenantId, request.params.contactId);
    await assertCanSee(ctx, tenantId, contact.id, auth, () => allBookings(ctx, tenantId, contact.id));
    return { name: contact.name, ...(await cardView(ctx, tenantId, contact.id, auth)) };
  });

  app.patch<{ Params: Static<typeof ContactParam>; Body: Static<typeof CardPatch> }>('/crm/cards/:contactId', {
    schema: { tags: ['crm'], summary: 'Change the guest card; confidentialNote only by owners and admins', params: ContactParam, body: CardPatch }, config: { roles: [...STAFF] },
  }, async (request) => {
    const { tenantId, auth, body } = request;
    if (body.confidentialNote !== undefined && !seesConfidential(auth)) throw ctx.error('BF_ERR_CRM_CONFIDENTIAL_ADMINS', { field: 'confidentialNote' });
    if (body.fixedResourceId) await staffResource(ctx, tenantId, body.fixedResourceId);
    await assertKnownChoices(ctx, tenantId, request.params.contactId, body);
    const fields = Object.keys(body) as Array<keyof typeof body>;
    await ctx.transaction(async (trx) => {
      const contact = await knownContact(ctx, trx, tenantId, request.params.contactId);
      const set: Record<string, unknown> = { updated_at: ctx.now() };
      for (const f of fields) set[COLUMNS[f]] = f === 'survey' ? JSON.stringify(body.survey) : f === 'privileges' ? body.privileges : body[f];
      await trx.insertInto('crm_cards').values({ tenant_id: tenantId, contact_id: contact.id, ...set }).onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doUpdateSet(set)).execute();
      // The audit log and the event name what changed, never the notes' text.
      await ctx.audit(trx, { tenantId, actorId: auth!.userId, entity: 'crm_card', entityId: contact.id, action: 'update', after: { fields } });
      await ctx.events.emit(trx, tenantId, 'crm.card-updated', { contactId: contact.id, fields });
      await ensureMorning(ctx, tenantId, trx);
    });
    return { name: (await knownContact(ctx, ctx.db, tenantId, request.params.contactId)).name, ...(await cardView(ctx, tenantId, request.params.contactId, auth)) };
  });

  app.put<{ Params: Static<typeof ContactParam>; Body: Static<typeof PreferencesBody> }>('/crm/cards/:contactId/preferences', {
    schema: { tags: ['crm'], summary: 'The client\'s liked (positive) and disliked (negative) specialists', params: ContactParam, body: PreferencesBody }, config: { roles: [...STAFF] },
  }, async (request) => {
    const { tenantId, auth } = request;
    for (const [i, item] of request.body.items.entries()) {
      await staffResource(ctx, tenantId, item.resourceId).catch((e) => { throw ctx.error('BF_ERR_CRM_RESOURCE_NOT_FOUND', { id: item.resourceId, field: `items/${i}/resourceId` }, e); });
    }
    await ctx.transaction(async (trx) => {
      const contact = await knownContact(ctx, trx, tenantId, request.params.contactId);
      await trx.deleteFrom('crm_preferences').where('tenant_id', '=', tenantId).where('contact_id', '=', contact.id).execute();
      const unique = [...new Map(request.body.items.map((i) => [i.resourceId, i])).values()];
      if (unique.length) await trx.insertInto('crm_preferences').values(unique.map((i) => ({ tenant_id: tenantId, contact_id: contact.id, resource_id: i.resourceId, kind: i.kind }))).execute();
      await ctx.audit(trx, { tenantId, actorId: auth!.userId, entity: 'crm_card', entityId: contact.id, action: 'preferences', after: unique });
    });
    return { items: (await cardView(ctx, tenantId, request.params.contactId, auth)).preferences };
  });

  app.get<{ Querystring: Static<typeof MarksQuery> }>('/crm/marks', {
    schema: { tags: ['crm'], summary: 'Status, colour, lock and contract of many clients (the journal and register marks)', querystring: MarksQuery }, config: { roles: [...EVERYONE] },
  }, async (request) => {
    const { tenantId } = request;
    const ids = [...new Set(request.query.contactIds.split(',').map((s) => s.toLowerCase()))].slice(0, 200);
    const [rows, cfg, services] = await Promise.all([cardRows(ctx.db, tenantId, ids), crmConfig(ctx, tenantId), ctx.service('booking').services(tenantId)]);
    const items = await Promise.all([...rows.values()].map(async (r) => marksOf(r, statusOf(r.visits + r.prior_visits, await bonusPercent(ctx, tenantId, r.contact_id), cfg.vipPercent))));
    return { items, contractServiceIds: services.filter((s) => s.requiresContract).map((s) => s.id) };
  });
}
