/** Job and task keys of a booking: scheduling one again replaces it, and a reaction finds it. */
export const reminderKey = (bookingId: string, offset: number) => `reminder:${bookingId}:${offset}`;
export const escalationKey = (bookingId: string) => `escalate:${bookingId}`;
export const callTaskKey = (bookingId: string) => `call:${bookingId}`;
export const agendaKey = (userId: string) => `agenda:${userId}`;
