import type { MsgKey } from '../i18n/en.js';

const EDITORS = ['owner', 'admin', 'manager'];
const ADMINS = ['owner', 'admin'];

/** Where the enabled plugins' pages (their manifests' studio.pages) go among core's in each group. */
export const PLUGIN_PAGES_ORDER = 50;

/** Core's admin sections (with the roles that may open them); `order` places them around the plugins' pages, before them by default. */
export const NAV: Array<{ path: string; label: MsgKey; group: 'work' | 'setup'; roles?: string[]; order?: number }> = [
  // After the plugins' work pages: a specialist's day starts on the journal, then the to-do list.
  { path: '/tasks', label: 'nav.tasks', group: 'work', order: 55 },
  { path: '/contacts', label: 'nav.clients', group: 'work', roles: EDITORS, order: 60 },
  { path: '/segments', label: 'nav.segments', group: 'work', roles: EDITORS, order: 61 },
  { path: '/flows', label: 'nav.flows', group: 'setup', roles: EDITORS },
  { path: '/plugins', label: 'nav.plugins', group: 'setup', roles: ADMINS, order: 90 },
  { path: '/events', label: 'nav.events', group: 'setup', roles: ADMINS, order: 90 },
  { path: '/channels', label: 'nav.channels', group: 'setup', roles: ADMINS, order: 90 },
  { path: '/settings', label: 'nav.settings', group: 'setup', roles: ADMINS, order: 90 },
  { path: '/team', label: 'nav.team', group: 'setup', roles: ADMINS, order: 90 },
  { path: '/account', label: 'nav.account', group: 'setup', order: 99 },
];
