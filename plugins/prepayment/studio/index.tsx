import { defineStudioPlugin } from 'bookflow/studio';
import { FinancePage } from './FinancePage.js';

/** Prepayment's admin UI: the finance page (plugin.json `studio.pages`). */
export default defineStudioPlugin({
  pages: { finance: FinancePage },
});
