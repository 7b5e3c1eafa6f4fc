import { sql } from 'kysely';
import type { PluginContext, Tx } from '../../../plugin-sdk.js';
import { toE164 } from './phone.js';

export interface ClientInput {
  name?: string;
  phone?: string;
  telegramChatId?: string;
  /** the chat proved the phone is its own (a Telegram contact of the sender); only then may the chat join a client found by phone */
  phoneVerified?: boolean;
  /** typed by an anonymous caller (widget, integrator): unless phoneVerified, the phone joins no record */
  anonymous?: boolean;
}

export interface ClientRow {
  id: string;
  name: string;
  phone: string | null;
  telegram_chat_id: string | null;
  notes: string;
}

export function normalizePhone(ctx: PluginContext, phone: string, countryCode: string): string {
  const e164 = toE164(phone, countryCode);
  if (!e164) throw ctx.error('BF_ERR_BOOKING_PHONE_INVALID', { phone });
  return e164;
}

/**
 * Finds the client by phone (then by Telegram chat) or creates one. A known client keeps their
 * name; a missing chat id or phone is filled in. Concurrent calls for one phone meet on its unique index.
 * A chat's unverified phone (anyone can type one) is never a key: unless the chat's own record already has
 * it, the chat books under its own record with the phone in its notes for staff to check and merge. Stored as
 * the phone, it would join a client holding it, or squat it so that later phone bookings land in this chat.
 * An anonymous caller's unverified phone likewise gets a record of its own.
 */
export async function upsertClient(ctx: PluginContext, trx: Tx, tenantId: string, input: ClientInput, countryCode: string): Promise<ClientRow> {
  const phone = input.phone ? normalizePhone(ctx, input.phone, countryCode) : null;
  const chat = input.telegramChatId ?? null;
  if (!phone && chat) {
    const byChat = await trx.selectFrom('booking_clients').selectAll().where('tenant_id', '=', tenantId).where('telegram_chat_id', '=', chat).where('deleted_at', 'is', null).executeTakeFirst();
    if (byChat) return byChat as ClientRow;
  }
  if (phone && chat) {
    const byChat = await trx.selectFrom('booking_clients').selectAll().where('tenant_id', '=', tenantId).where('telegram_chat_id', '=', chat).where('deleted_at', 'is', null).executeTakeFirst();
    if (byChat && (!byChat.phone || byChat.phone === phone)) {
      return (await trx.updateTable('booking_clients').set({ phone, updated_at: ctx.now() }).where('tenant_id', '=', tenantId).where('id', '=', byChat.id).returningAll().executeTakeFirstOrThrow()) as ClientRow;
    }
  }
  const name = input.name?.trim() || phone || chat || '—';
  // As in chat: a record of its own, the phone in its notes (never as its phone, which would squat the number) for staff to check and merge.
  if (phone && !chat && input.anonymous && !input.phoneVerified) {
    const { locale } = await ctx.business(tenantId, trx);
    return (await trx.insertInto('booking_clients').values({ tenant_id: tenantId, name, notes: ctx.t(locale, 'unverifiedPhoneNote', { phone }) }).returningAll().executeTakeFirstOrThrow()) as ClientRow;
  }
  if (phone && chat && !input.phoneVerified) {
    const owner = await trx.selectFrom('booking_clients').select('telegram_chat_id').where('tenant_id', '=', tenantId).where('phone', '=', phone).where('deleted_at', 'is', null).executeTakeFirst();
    if (owner?.telegram_chat_id !== chat) {
      const own = await trx.selectFrom('booking_clients').selectAll().where('tenant_id', '=', tenantId).where('telegram_chat_id', '=', chat).where('deleted_at', 'is', null).executeTakeFirst();
      if (own) return own as ClientRow;
      return (await trx.insertInto('booking_clients').values({ tenant_id: tenantId, name, telegram_chat_id: chat, notes: `Phone given in chat, not verified: ${phone}` }).returningAll().executeTakeFirstOrThrow()) as ClientRow;
    }
  }
  if (!phone) {
    return (await trx.insertInto('booking_clients').values({ tenant_id: tenantId, name, telegram_chat_id: chat }).returningAll().executeTakeFirstOrThrow()) as ClientRow;
  }
  const { rows } = await sql<ClientRow>`
    INSERT INTO booking_clients (tenant_id, name, phone, telegram_chat_id) VALUES (${tenantId}, ${name}, ${phone}, ${chat})
    ON CONFLICT (tenant_id, phone) WHERE deleted_at IS NULL AND phone IS NOT NULL
    DO UPDATE SET telegram_chat_id = COALESCE(booking_clients.telegram_chat_id, CASE WHEN ${input.phoneVerified === true} THEN EXCLUDED.telegram_chat_id END), updated_at = now()
    RETURNING *`.execute(trx);
  return rows[0];
}
