import { defineStudioPlugin } from 'bookflow/studio';
import { BookingTimeline } from './BookingTimeline.js';
import { FailedMessagesPage } from './FailedMessagesPage.js';
import { MessageTextsPage } from './MessageTextsPage.js';
import { MyNotificationsPage } from './MyNotificationsPage.js';

/** plugin.json `studio` lists these pages (`telegram`, `messages`, `failed`) and the zone the timeline fills. */
export default defineStudioPlugin({
  pages: { telegram: MyNotificationsPage, messages: MessageTextsPage, failed: FailedMessagesPage },
  widgets: { 'booking.details': BookingTimeline },
});
