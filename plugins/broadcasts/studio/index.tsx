import { defineStudioPlugin } from 'bookflow/studio';
import { CampaignsPage } from './CampaignsPage.js';

export default defineStudioPlugin({ pages: { campaigns: CampaignsPage } });
