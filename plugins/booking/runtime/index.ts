import type { NodeRuntime } from '../../../plugin-sdk.js';
import { pickService } from './pick-service.js';
import { pickSpecialist } from './pick-specialist.js';
import { pickDay } from './pick-day.js';
import { pickTime } from './pick-time.js';
import { askContact } from './ask-contact.js';
import { confirm } from './confirm.js';
import { myBookings } from './my-bookings.js';

/** Runtimes of the node types declared in ../nodes.ts. */
export const nodeRuntimes: Record<string, NodeRuntime> = {
  'booking.pick-service': pickService,
  'booking.pick-specialist': pickSpecialist,
  'booking.pick-day': pickDay,
  'booking.pick-time': pickTime,
  'booking.ask-contact': askContact,
  'booking.confirm': confirm,
  'booking.my-bookings': myBookings,
};
