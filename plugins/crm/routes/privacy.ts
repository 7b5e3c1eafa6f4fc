import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext } from '../../../plugin-sdk.js';
import { cardView } from '../lib/cards.js';
import { crmConfig } from '../lib/config.js';
import { erasureKey } from '../lib/erasure.js';
import { applyRetention } from '../lib/retention.js';
import { allBookings } from '../lib/status.js';
import { toCsv } from '../lib/csv.js';
import { ADMINS, ContactParam } from './schemas.js';

const ExportQuery = Type.Object({ format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }) }, { additionalProperties: false });
const DAY = 86_400_000;

/** Seed 004's data-subject rights: everything about a client on request, and erasure after a grace period. Owners and admins only. */
export function privacyRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.get<{ Params: Static<typeof ContactParam>; Querystring: Static<typeof ExportQuery> }>('/crm/contacts/:contactId/export', {
    schema: { tags: ['crm'], summary: 'Everything the business keeps about a client (the card, identities, bookings, messages, loyalty account and ledger, calls), as JSON or CSV', params: ContactParam, querystring: ExportQuery },
    config: { roles: [...ADMINS] },
  }, async (request, reply) => {
    const { tenantId, auth } = request;
    const contact = await ctx.contacts.get(ctx.db, tenantId, request.params.contactId);
    if (!contact) throw ctx.error('BF_ERR_CRM_CONTACT_NOT_FOUND', { id: request.params.contactId });
    const loyalty = await ctx.optionalService('loyalty', tenantId);
    const [card, bookings, messages, account, entries, parts] = await Promise.all([
      cardView(ctx, tenantId, contact.id, auth), allBookings(ctx, tenantId, contact.id), ctx.messages.ofContact(ctx.db, tenantId, contact.id),
      loyalty?.account(tenantId, contact.id), loyalty?.entries(tenantId, contact.id), ctx.extensions.collect(tenantId, 'crm.export', { contactId: contact.id }),
    ]);
    // A plugin that could not answer would make the export silently incomplete: refused instead, to be retried.
    if (parts.failed.length) throw ctx.error('BF_ERR_CRM_EXPORT_INCOMPLETE', { plugins: parts.failed.map((f) => f.plugin).join(', ') });
    const data = {
      contact: { id: contact.id, name: contact.name, birthday: contact.birthday, locale: contact.locale, tags: contact.tags, notes: contact.notes, consent: contact.consent, createdAt: contact.createdAt, lastSeenAt: contact.lastSeenAt },
      identities: contact.identities.map((i) => ({ kind: i.kind, value: i.value, verified: i.verified })),
      card,
      bookings,
      messages,
      ...(loyalty ? { loyalty: account, ledger: entries } : {}),
      ...Object.fromEntries(parts.results.map((r) => [r.value.section, r.value.items])),
    };
    await ctx.transaction((trx) => ctx.audit(trx, { tenantId, actorId: auth!.userId, entity: 'contact', entityId: contact.id, action: 'export', after: { format: request.query.format } }));
    if (request.query.format === 'json') return reply.header('content-disposition', `attachment; filename="contact-${contact.id}.json"`).send(data);
    const rows: Array<[string, string, string]> = [];
    const walk = (section: string, path: string, v: unknown): void => {
      if (v !== null && typeof v === 'object' && !(v instanceof Date)) for (const [k, x] of Object.entries(v)) walk(section, path ? `${path}.${k}` : k, x);
      else rows.push([section, path, v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v)]);
    };
    for (const [section, v] of Object.entries(data)) walk(section, '', v);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="contact-${contact.id}.csv"`)
      .send(toCsv([['section', 'field', 'value'], ...rows]));
  });

  app.post('/crm/retention/run', {
    schema: { tags: ['crm'], summary: 'Apply the retention policy now (retentionMonths; the morning job does it every day)' }, config: { roles: [...ADMINS] },
  }, async (request) => applyRetention(ctx, request.tenantId, request.auth!.userId));

  app.post<{ Params: Static<typeof ContactParam> }>('/crm/contacts/:contactId/erasure', {
    schema: { tags: ['crm'], summary: 'Erase the client on request after the grace period (erasureGraceDays); withdrawn with DELETE until then', params: ContactParam },
    config: { roles: [...ADMINS] },
  }, async (request, reply) => {
    const { tenantId, auth } = request;
    const { erasureGraceDays } = await crmConfig(ctx, tenantId);
    const eraseAt = new Date(ctx.now().getTime() + erasureGraceDays * DAY);
    await ctx.transaction(async (trx) => {
      const contact = await ctx.contacts.get(trx, tenantId, request.params.contactId);
      if (!contact) throw ctx.error('BF_ERR_CRM_CONTACT_NOT_FOUND', { id: request.params.contactId });
      const row = { tenant_id: tenantId, contact_id: contact.id, requested_by: auth!.userId, requested_at: ctx.now(), erase_at: eraseAt };
      const done = await trx.insertInto('crm_erasures').values(row).onConflict((oc) => oc.columns(['tenant_id', 'contact_id']).doUpdateSet({ requested_by: row.requested_by, erase_at: eraseAt }).where('crm_erasures.erased_at', 'is', null))
        .returning('contact_id').executeTakeFirst();
      if (!done) throw ctx.error('BF_ERR_CRM_ERASED', { id: contact.id });
      await ctx.jobs.schedule(eraseAt, 'erase-due', { contactId: contact.id }, { tenantId, key: erasureKey(contact.id), trx });
      await ctx.audit(trx, { tenantId, actorId: auth!.userId, entity: 'contact', entityId: contact.id, action: 'erasure-requested', after: { eraseAt: eraseAt.toISOString() } });
    });
    return reply.status(202).send({ contactId: request.params.contactId, eraseAt: eraseAt.toISOString() });
  });

  app.delete<{ Params: Static<typeof ContactParam> }>('/crm/contacts/:contactId/erasure', {
    schema: { tags: ['crm'], summary: 'Withdraw an erasure still in its grace period', params: ContactParam }, config: { roles: [...ADMINS] },
  }, async (request, reply) => {
    const { tenantId, auth } = request;
    await ctx.transaction(async (trx) => {
      const gone = await trx.deleteFrom('crm_erasures').where('tenant_id', '=', tenantId).where('contact_id', '=', request.params.contactId).where('erased_at', 'is', null).returning('contact_id').executeTakeFirst();
      if (!gone) throw ctx.error('BF_ERR_CRM_ERASURE_NOT_FOUND', { id: request.params.contactId });
      await ctx.jobs.cancel({ tenantId, key: erasureKey(request.params.contactId), trx });
      await ctx.audit(trx, { tenantId, actorId: auth!.userId, entity: 'contact', entityId: request.params.contactId, action: 'erasure-withdrawn' });
    });
    return reply.status(204).send();
  });
}
