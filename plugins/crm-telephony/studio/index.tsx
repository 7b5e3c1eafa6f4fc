import { defineStudioPlugin } from 'bookflow/studio';
import { CallLog } from './CallLog.js';
import { LiveCalls } from './LiveCalls.js';

/** Telephony's admin UI: ringing calls with the caller's card, and the call log on the client's card. */
export default defineStudioPlugin({
  pages: { calls: LiveCalls },
  widgets: { 'client.card': CallLog },
});
