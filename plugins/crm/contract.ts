/**
 * What the CRM offers other plugins (types only: `import type` it): a client's card as staff may see it, and a
 * point through which telephony reports the calls of a period for the funnel.
 */
import type { AuthInfo, ProviderPoint } from '../../plugin-sdk.js';

export type ClientStatus = 'first' | 'repeat' | 'vip';
export type ColorGroup = 'guest' | 'attention' | 'employee' | 'earlier';

/** The marks the journal, the register and a call popup show; nothing confidential. */
export interface CrmMarks {
  contactId: string;
  status: ClientStatus;
  color: ColorGroup | null;
  earlierThan: string | null;
  locked: boolean;
  fixedResourceId: string | null;
  contract: boolean;
}

export interface CrmService {
  /** The client's marks (an empty card's when none was filled). */
  marks(tenantId: string, contactId: string): Promise<CrmMarks>;
  /** The guest card as `auth` may see it: the confidential note only for owners and admins. */
  card(tenantId: string, contactId: string, auth: AuthInfo | null): Promise<Record<string, unknown>>;
}

/** A period of the business's calendar days, yyyy-mm-dd, both inclusive. */
export interface CallsQuery { from: string; to: string }

/** A plugin's part of a client's data export: `section` names it (e.g. "calls"), `items` are its records. */
export interface ExportSection { section: string; items: Array<Record<string, unknown>> }

/** Specialists' average rating over the reviews of visits in [from, to) (ISO instants). */
export interface RatingsQuery { resourceIds: string[]; from: string; to: string }
export interface StaffRating { resourceId: string; average: number; count: number }

/** The retention policy's cut-off: what was recorded before `before` (an ISO instant) loses its free content. */
export interface RetentionQuery { before: string }

declare module '../../plugin-sdk.js' {
  interface PluginServices {
    'crm': CrmService;
  }
  interface ExtensionPoints {
    /** Incoming calls in the period (telephony), the funnel's first step. */
    'crm.calls': ProviderPoint<CallsQuery, number>;
    /** What a plugin keeps about a client (telephony's calls), for the data-subject export. */
    'crm.export': ProviderPoint<{ contactId: string }, ExportSection>;
    /** Forget free content older than the cut-off (telephony's call recordings); answers how many records were cleared. */
    'crm.retention': ProviderPoint<RetentionQuery, number>;
    /** Specialists' ratings for the staff efficiency report (reviews). */
    'crm.staffRatings': ProviderPoint<RatingsQuery, StaffRating[]>;
  }
}
