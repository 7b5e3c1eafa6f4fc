import { defineStudioPlugin } from 'bookflow/studio';
import { HotWindowsPage } from './HotWindowsPage.js';

export default defineStudioPlugin({ pages: { calendar: HotWindowsPage } });
