import { defineStudioPlugin } from 'bookflow/studio';
import { BookingLoyalty } from './BookingLoyalty.js';
import { CertificatesPage } from './CertificatesPage.js';
import { LoyaltyCard } from './LoyaltyCard.js';
import { ReportsPage } from './ReportsPage.js';

/** Loyalty's admin UI: the certificate register and reports (plugin.json `studio.pages`), the client card and booking details widgets; the rules are its settings page. */
export default defineStudioPlugin({
  pages: { certificates: CertificatesPage, reports: ReportsPage },
  widgets: { 'client.card': LoyaltyCard, 'booking.details': BookingLoyalty },
});
