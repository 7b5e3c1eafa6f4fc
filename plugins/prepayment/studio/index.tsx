import { defineStudioPlugin } from 'bookflow/studio';
import { FinancePage } from './FinancePage.js';
import { BookingBreakdown } from './BookingBreakdown.js';

/** Prepayment's admin UI: the finance page (plugin.json `studio.pages`) and the booking card's price breakdown. */
export default defineStudioPlugin({
  pages: { finance: FinancePage },
  widgets: { 'booking.details': BookingBreakdown },
});
