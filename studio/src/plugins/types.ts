/**
 * What a plugin's `studio/index.tsx` default-exports, and the props of each zone's widgets.
 * Plugins see these through sdk.ts; the manifest's `studio` (plugin-sdk StudioManifest) says which exist.
 */
import type { ComponentType } from 'react';
import type { StudioZone } from '../../../plugin-sdk.js';

export type { StudioZone, StudioManifest, StudioPageEntry } from '../../../plugin-sdk.js';

/** A booking as a cell of the day's journal shows it. */
export interface JournalBooking {
  id: string;
  start: string;
  end: string;
  status: string;
  serviceId: string;
  resourceIds: string[];
  clientId: string | null;
}

/** The props each zone hands its widgets; the business and role come from useBusiness(). */
export interface ZoneProps {
  'client.card': { contactId: string };
  'booking.details': { bookingId: string };
  'journal.cell': { booking: JournalBooking };
  settings: Record<string, never>;
  'app.overlay': Record<string, never>;
  /** the desk's new-booking dialog as it is being filled: the chosen client, day (yyyy-mm-dd, business zone), service, resource */
  'booking.form': { contactId: string | null; date: string; serviceId: string | null; resourceId: string | null };
}

export interface PageProps {
  /** the rest of the address after /<plugin>/<page>, e.g. "/42" or "" */
  subpath: string;
}

export type ZoneWidgets = { [Z in StudioZone]?: ComponentType<ZoneProps[Z]> };

export interface StudioPlugin {
  /** page id (the manifest's studio.pages[].id) → component */
  pages?: Record<string, ComponentType<PageProps>>;
  /** one widget per zone the manifest's studio.zones lists */
  widgets?: ZoneWidgets;
}
