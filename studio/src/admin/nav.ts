import type { MsgKey } from '../i18n/en.js';

const EDITORS = ['owner', 'admin', 'manager'];
const ADMINS = ['owner', 'admin'];

/** The admin sections (with the roles that may open them); pages without a capability yet say so. */
export const NAV: Array<{ path: string; label: MsgKey; group: 'work' | 'setup'; roles?: string[] }> = [
  { path: '/journal', label: 'nav.journal', group: 'work' },
  { path: '/bookings', label: 'nav.bookings', group: 'work' },
  { path: '/clients', label: 'nav.clients', group: 'work', roles: EDITORS },
  { path: '/loyalty', label: 'nav.loyalty', group: 'work' },
  { path: '/payments', label: 'nav.payments', group: 'work' },
  { path: '/analytics', label: 'nav.analytics', group: 'work' },
  { path: '/flows', label: 'nav.flows', group: 'setup', roles: EDITORS },
  { path: '/catalog', label: 'nav.catalog', group: 'setup' },
  { path: '/resources', label: 'nav.resources', group: 'setup' },
  { path: '/schedules', label: 'nav.schedules', group: 'setup' },
  { path: '/plugins', label: 'nav.plugins', group: 'setup', roles: ADMINS },
  { path: '/events', label: 'nav.events', group: 'setup', roles: ADMINS },
  { path: '/channels', label: 'nav.channels', group: 'setup', roles: ADMINS },
  { path: '/settings', label: 'nav.settings', group: 'setup', roles: ADMINS },
];
