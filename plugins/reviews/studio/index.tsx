import { defineStudioPlugin } from 'bookflow/studio';
import { ReviewsPage } from './ReviewsPage.js';

/** The reviews' admin UI: plugin.json `studio` lists its one page, the inbox (with averages and the embed code). */
export default defineStudioPlugin({
  pages: { inbox: ReviewsPage },
});
