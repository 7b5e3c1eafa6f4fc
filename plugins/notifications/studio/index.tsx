import { defineStudioPlugin } from 'bookflow/studio';
import { BookingTimeline } from './BookingTimeline.js';
import { ClientChannel } from './ClientChannel.js';
import { FailedMessagesPage } from './FailedMessagesPage.js';
import { MessageTextsPage } from './MessageTextsPage.js';
import { MyNotificationsPage } from './MyNotificationsPage.js';
import { ServiceRemindersPage } from './ServiceRemindersPage.js';

/** plugin.json `studio` lists these pages (`telegram`, `messages`, `service-reminders`, `failed`) and the zones (the booking's timeline, the client's channel). */
export default defineStudioPlugin({
  pages: { telegram: MyNotificationsPage, messages: MessageTextsPage, 'service-reminders': ServiceRemindersPage, failed: FailedMessagesPage },
  widgets: { 'booking.details': BookingTimeline, 'client.card': ClientChannel },
});
