/**
 * What notifications offers other plugins (types only: `import type` it; list `notifications` in
 * optionalDependencies and reach it with `ctx.optionalService('notifications', tenantId)`).
 */
import type { LocalizedText, MessageButton, MessageContent, Role, Tx } from '../../plugin-sdk.js';

/** What a staff alert is about: each member chooses the topics they get (studio, the bot's staff menu). */
export type StaffTopic = 'booking.new' | 'booking.changed' | 'booking.cancelled' | 'lead.new' | 'review.low' | 'call.missed' | 'task.new';

export interface StaffAlert {
  topic: StaffTopic;
  /** unique per business: the same key again sends nothing (a retried handler) */
  key: string;
  /** who: members of these roles, or these members; both left out means owners and admins */
  roles?: Role[];
  userIds?: string[];
  text: LocalizedText;
  /** an email's subject; default the text */
  subject?: LocalizedText;
  buttons?: MessageButton[];
  /** a studio path the alert links to (the contact card, the booking) */
  link?: string;
}

export interface NotificationsService {
  /**
   * Tells staff at once through their linked Telegram (and email when they chose it), through the messages
   * outbox, in the alert's transaction; members who turned the topic off get nothing. Answers how many were queued.
   */
  alertStaff(trx: Tx, tenantId: string, alert: StaffAlert): Promise<{ queued: number }>;
  /**
   * A message to one member's own linked Telegram (a campaign's test "to me"), whatever topics they chose, through
   * the outbox in the caller's transaction; `key` sends once. Answers 0 when the member linked no chat.
   */
  messageMember(trx: Tx, tenantId: string, userId: string, message: MessageContent, key: string): Promise<{ queued: number }>;
}

declare module '../../plugin-sdk.js' {
  interface PluginServices {
    'notifications': NotificationsService;
  }
}
