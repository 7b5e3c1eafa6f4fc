import type { MsgKey } from '../i18n/en.js';

/** The admin sections; pages without a capability yet say which plugin will fill them. */
export const NAV: Array<{ path: string; label: MsgKey; group: 'work' | 'setup' }> = [
  { path: '/journal', label: 'nav.journal', group: 'work' },
  { path: '/bookings', label: 'nav.bookings', group: 'work' },
  { path: '/clients', label: 'nav.clients', group: 'work' },
  { path: '/loyalty', label: 'nav.loyalty', group: 'work' },
  { path: '/payments', label: 'nav.payments', group: 'work' },
  { path: '/analytics', label: 'nav.analytics', group: 'work' },
  { path: '/flows', label: 'nav.flows', group: 'setup' },
  { path: '/catalog', label: 'nav.catalog', group: 'setup' },
  { path: '/resources', label: 'nav.resources', group: 'setup' },
  { path: '/schedules', label: 'nav.schedules', group: 'setup' },
  { path: '/plugins', label: 'nav.plugins', group: 'setup' },
  { path: '/settings', label: 'nav.settings', group: 'setup' },
];
