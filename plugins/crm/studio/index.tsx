import { defineStudioPlugin } from 'bookflow/studio';
import { BookingFormCharts } from './BookingFormCharts.js';
import { BookingPanel } from './BookingPanel.js';
import { CoursesPage } from './CoursesPage.js';
import { GuestCard } from './GuestCard.js';
import { Marks } from './Marks.js';
import { ReportsPage } from './ReportsPage.js';

/** The CRM's admin UI: the guest card, the marks in the journal and the register, the booking's panels, the desk form's interest charts, courses and reports. */
export default defineStudioPlugin({
  pages: { courses: CoursesPage, reports: ReportsPage },
  widgets: { 'client.card': GuestCard, 'journal.cell': Marks, 'booking.details': BookingPanel, 'booking.form': BookingFormCharts },
});
