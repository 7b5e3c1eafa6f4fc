import type { IdentityKind, LocalizedText, PluginContext, Tx } from '../../../plugin-sdk.js';

export type TemplateKind = 'created' | 'reminder' | 'second' | 'rescheduled' | 'cancelled' | 'restored' | 'waitlist' | 'blocked';
export const TEMPLATE_KINDS: TemplateKind[] = ['created', 'reminder', 'second', 'rescheduled', 'cancelled', 'restored', 'waitlist', 'blocked'];

export interface QuietHours {
  from: string;
  to: string;
}

/** plugin.json's configSchema, defaults applied. */
export interface NotificationsConfig {
  reminderOffsetsMinutes: number[];
  quietHours: QuietHours | null;
  channelOrder: IdentityKind[];
  confirmOffsetMinutes: number;
  secondReminderMinutes: number;
  callTaskMinutes: number;
  autoMoveToOtherSpecialist: boolean;
  businessPhone: string;
  mapUrl: string;
  rescheduleFlow: { flowKey: string; nodeId: string };
  templates: Partial<Record<TemplateKind, Partial<LocalizedText>>>;
}

export const notificationsConfig = (ctx: PluginContext, tenantId: string, q?: Tx) => ctx.config<NotificationsConfig>(tenantId, q);

/** The service's own offsets when it has them, else the business's. */
export async function offsetsFor(ctx: PluginContext, q: Tx | PluginContext['db'], tenantId: string, serviceId: string, cfg: NotificationsConfig): Promise<number[]> {
  const own = await q.selectFrom('notifications_service_offsets').select('offsets').where('tenant_id', '=', tenantId).where('service_id', '=', serviceId).executeTakeFirst();
  return (own?.offsets as number[] | undefined) ?? cfg.reminderOffsetsMinutes;
}
