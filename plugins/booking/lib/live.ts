/** ctx.changes' channel of the journal: the booking events NOTIFY every instance's open journal streams. */
export const JOURNAL_CHANNEL = 'journal';

/** The booking events that change what a journal shows. */
export const JOURNAL_EVENTS = ['booking.created', 'booking.rescheduled', 'booking.status-changed', 'booking.restored'] as const;
