import { defineStudioPlugin } from 'bookflow/studio';
import { CallLog } from './CallLog.js';
import { CallPopup } from './CallPopup.js';
import { LiveCalls } from './LiveCalls.js';

/** Telephony's admin UI: ringing calls with the caller's card (a page, and a popup over every page), and the call log on the client's card. */
export default defineStudioPlugin({
  pages: { calls: LiveCalls },
  widgets: { 'client.card': CallLog, 'app.overlay': CallPopup },
});
