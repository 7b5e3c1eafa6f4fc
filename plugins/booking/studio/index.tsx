import { defineStudioPlugin } from 'bookflow/studio';
import { BookingsPage } from './BookingsPage.js';
import { ClientVisits } from './ClientVisits.js';
import { CatalogPage, ResourcesPage } from './CatalogPages.js';
import { JournalPage } from './JournalPage.js';
import { SchedulesPage } from './SchedulesPage.js';

/** Booking's pages in the studio; plugin.json `studio.pages` puts them in the navigation. */
export default defineStudioPlugin({
  pages: { journal: JournalPage, bookings: BookingsPage, catalog: CatalogPage, resources: ResourcesPage, schedules: SchedulesPage },
  widgets: { 'client.card': ClientVisits },
});
