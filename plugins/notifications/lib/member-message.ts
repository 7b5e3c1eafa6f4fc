import type { MessageContent, PluginContext, Tx } from '../../../plugin-sdk.js';

/** One member's own message (not an alert: no topic filter) to the Telegram chat they linked; 0 without one. */
export async function messageMember(ctx: PluginContext, trx: Tx, tenantId: string, userId: string, message: MessageContent, key: string): Promise<{ queued: number }> {
  if (!(await ctx.members.isMember(trx, tenantId, userId))) return { queued: 0 };
  const link = await trx.selectFrom('notifications_staff').select(['bot_id', 'chat_id']).where('tenant_id', '=', tenantId).where('user_id', '=', userId)
    .where('chat_id', 'is not', null).where('bot_id', 'is not', null).executeTakeFirst();
  if (!link?.chat_id || !link.bot_id) return { queued: 0 };
  await ctx.messages.send(trx, {
    tenantId, to: { conversation: { channel: 'telegram', botId: link.bot_id, chatId: link.chat_id } }, purpose: 'transactional', idempotencyKey: `notifications:member:${key}:${userId}`, message,
  });
  return { queued: 1 };
}
