import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { mangoSign, sameSecret, type MangoConfig } from '../lib/mango.js';
import { CALLS_CHANNEL } from '../lib/live.js';

const Form = Type.Object({
  vpbx_api_key: Type.String({ maxLength: 200 }),
  sign: Type.String({ maxLength: 200 }),
  json: Type.String({ maxLength: 65536 }),
}, { additionalProperties: true });
const TenantParam = Type.Object({ tenant: Type.String({ minLength: 1, maxLength: 100 }) });
const STALE_MS = 15 * 60_000;

interface Party { number?: string; extension?: string }
interface CallEvent { entry_id: string; call_id?: string; timestamp?: number; seq?: number; call_state?: string; from?: Party; to?: Party }
interface SummaryEvent { entry_id: string; call_direction?: number; from?: Party; to?: Party; create_time?: number; talk_time?: number; end_time?: number; entry_result?: number; recording_url?: string }

/** The form's fields checked: our key, then Mango's sign over the raw json string; answers the parsed event. */
async function verified(ctx: PluginContext, tenantId: string, form: Static<typeof Form>): Promise<Record<string, unknown>> {
  const cfg = await ctx.config<MangoConfig>(tenantId);
  if (!cfg.apiKey || !cfg.apiSalt || !sameSecret(form.vpbx_api_key, cfg.apiKey)) throw ctx.error('BF_ERR_TELEPHONY_KEY_UNKNOWN', { field: 'vpbx_api_key' });
  if (!sameSecret(form.sign.toLowerCase(), mangoSign(cfg.apiKey, form.json, cfg.apiSalt))) throw ctx.error('BF_ERR_TELEPHONY_SIGN_INVALID', { field: 'sign' });
  let event: unknown;
  try { event = JSON.parse(form.json); } catch { event = null; }
  if (!event || typeof event !== 'object' || typeof (event as { entry_id?: unknown }).entry_id !== 'string') throw ctx.error('BF_ERR_TELEPHONY_EVENT_INVALID', { field: 'json' });
  const ts = Number((event as { timestamp?: unknown }).timestamp);
  if (Number.isFinite(ts) && Math.abs(ctx.now().getTime() - ts * 1000) > STALE_MS) throw ctx.error('BF_ERR_TELEPHONY_STALE_EVENT', { minutes: Math.round(Math.abs(ctx.now().getTime() - ts * 1000) / 60_000), field: 'json' });
  return event as Record<string, unknown>;
}

/** A redelivered event (same key) is accepted and does nothing. */
async function firstTime(ctx: PluginContext, trx: Tx, tenantId: string, key: string): Promise<boolean> {
  const row = await trx.insertInto('crm_telephony_events').values({ tenant_id: tenantId, key: key.slice(0, 500), received_at: ctx.now() }).onConflict((oc) => oc.doNothing()).returning('key').executeTakeFirst();
  return Boolean(row);
}

async function onCall(ctx: PluginContext, trx: Tx, tenantId: string, e: CallEvent): Promise<void> {
  const incoming = !e.from?.extension;
  const raw = incoming ? e.from?.number : e.to?.number;
  const number = (raw && await ctx.contacts.normalizePhone(tenantId, raw, trx)) ?? raw ?? '';
  const at = Number.isFinite(e.timestamp) ? new Date(Number(e.timestamp) * 1000) : ctx.now();
  const contact = number ? await ctx.contacts.findByPhone(trx, tenantId, number) : null;
  const state = String(e.call_state ?? '');
  const call = await trx.insertInto('crm_telephony_calls').values({ tenant_id: tenantId, entry_id: e.entry_id, direction: incoming ? 'in' : 'out', number, contact_id: contact?.id ?? null, state, started_at: at })
    .onConflict((oc) => oc.constraint('crm_telephony_calls_entry').doUpdateSet({ state })).returning(['id', 'answered_at']).executeTakeFirstOrThrow();
  if (state === 'Connected' && !call.answered_at) {
    await trx.updateTable('crm_telephony_calls').set({ answered_at: at, answered_by: (incoming ? e.to?.extension : e.from?.extension) ?? null }).where('tenant_id', '=', tenantId).where('id', '=', call.id).execute();
  }
  if (state === 'Disconnected') await trx.updateTable('crm_telephony_calls').set({ ended_at: at }).where('tenant_id', '=', tenantId).where('id', '=', call.id).execute();
  if (state === 'Appeared' && incoming) await ctx.events.emit(trx, tenantId, 'crm-telephony.call-appeared', { callId: call.id, number, contactId: contact?.id ?? null });
}

async function onSummary(trx: Tx, tenantId: string, e: SummaryEvent): Promise<void> {
  const talk = Number(e.talk_time) || 0;
  const end = Number(e.end_time) || 0;
  await trx.updateTable('crm_telephony_calls').set({
    duration_sec: talk && end >= talk ? end - talk : 0, result: e.entry_result === 1 ? 'answered' : 'missed',
    ...(typeof e.recording_url === 'string' && /^https:\/\//.test(e.recording_url) ? { recording_url: e.recording_url } : {}),
    ...(end ? { ended_at: new Date(end * 1000) } : {}),
  }).where('tenant_id', '=', tenantId).where('entry_id', '=', e.entry_id).execute();
}

/** Mango Office's webhooks: form-encoded, signed; the raw `json` string is what the sign covers. */
export function eventRoutes(app: FastifyInstance, ctx: PluginContext): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 128 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  for (const kind of ['call', 'summary'] as const) {
    app.post<{ Params: Static<typeof TenantParam>; Body: Static<typeof Form> }>(`/public/:tenant/telephony/mango/events/${kind}`, {
      schema: { tags: ['telephony'], summary: `Mango Office's events/${kind} (form fields vpbx_api_key, sign, json)`, params: TenantParam, body: Form },
      config: { roles: 'public', badStrings: 'replace' },
    }, async (request) => {
      const tenantId = request.tenantId;
      const event = await verified(ctx, tenantId, request.body);
      const key = kind === 'call' ? `call:${event.entry_id}:${String(event.call_id ?? '')}:${String(event.call_state ?? '')}:${String(event.seq ?? '')}` : `summary:${event.entry_id}`;
      const fresh = await ctx.transaction(async (trx) => {
        if (!(await firstTime(ctx, trx, tenantId, key))) return false;
        if (kind === 'call') await onCall(ctx, trx, tenantId, event as unknown as CallEvent);
        else await onSummary(trx, tenantId, event as unknown as SummaryEvent);
        await ctx.changes(CALLS_CHANNEL).announce(trx, tenantId);
        return true;
      });
      return { ok: true, duplicate: !fresh };
    });
  }
}
