import { lazyNamed } from 'bookflow/studio';

/** The interest pies, with the chart library fetched when a card first shows them: no other page needs it. */
export const InterestCharts = lazyNamed(() => import('./InterestPies.js'), 'InterestPies');
