import { defineStudioPlugin } from 'bookflow/studio';
import { ReportPage } from './ReportPage.js';

/** Referrals' admin UI: the report (plugin.json `studio.pages`); the rules are its settings page. */
export default defineStudioPlugin({ pages: { report: ReportPage } });
