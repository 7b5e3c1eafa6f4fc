import type { Contact, ConversationRef, Db, PluginContext, Tx } from '../../../plugin-sdk.js';

/** Who is booking, as booking learns it; the contact is found or made by core's identity rules (ctx.contacts.identify). */
export interface ClientInput {
  name?: string;
  phone?: string;
  /** the chat (or a confirmed code) proved the phone is the client's own; only then may it find a contact */
  phoneVerified?: boolean;
  /** the chat the client books from: its contact, whatever phone they typed */
  conversation?: ConversationRef;
  /** typed by an anonymous caller (widget, integrator): unless phoneVerified, the phone finds nobody */
  anonymous?: boolean;
}

/** E.164 for a phone in any format (the business's country fills a missing code), or BF_ERR_BOOKING_PHONE_INVALID. */
export async function normalizePhone(ctx: PluginContext, tenantId: string, phone: string, q?: Db | Tx): Promise<string> {
  const e164 = await ctx.contacts.normalizePhone(tenantId, phone, q);
  if (!e164) throw ctx.error('BF_ERR_BOOKING_PHONE_INVALID', { phone });
  return e164;
}

/** The booking's client: a contact by id (BF_ERR_BOOKING_CLIENT_NOT_FOUND), or the one identify finds or makes. */
export async function clientFor(ctx: PluginContext, trx: Tx, tenantId: string, input: ClientInput | { id: string }): Promise<Contact> {
  if ('id' in input) {
    const found = await ctx.contacts.get(trx, tenantId, input.id);
    if (!found) throw ctx.error('BF_ERR_BOOKING_CLIENT_NOT_FOUND', { id: input.id });
    return found;
  }
  const phone = input.phone ? await normalizePhone(ctx, tenantId, input.phone, trx) : undefined;
  return ctx.contacts.identify(trx, tenantId, { ...input, phone });
}
