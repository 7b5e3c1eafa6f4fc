import { get, useLoad, type ZoneProps } from 'bookflow/studio';
import { InterestCharts } from './InterestCharts.js';
import type { Card } from './GuestCard.js';

/** The desk's new-booking form (seed 003): the chosen client's two interest charts, to suggest what else they may like. */
export function BookingFormCharts({ contactId }: ZoneProps['booking.form']) {
  // A role that may not read the card simply sees no charts.
  const card = useLoad(() => (contactId ? get<Card>(`/crm/cards/${contactId}`).catch(() => null) : Promise.resolve(null)), [contactId]);
  const c = card.data;
  return c ? <InterestCharts survey={c.survey} behaviour={c.behaviour} categories={c.categories} /> : null;
}
