import type { Tx } from '../../../plugin-sdk.js';

export interface LedgerEntry {
  tenantId: string;
  kind: 'payment' | 'refund' | 'tip' | 'write_off' | 'write_off_return';
  amount: number;
  currency: string;
  method: string;
  bookingId: string;
  contactId: string;
  serviceId: string;
  specialistId: string | null;
  paymentId?: string;
  refundId?: string;
  /** what the entry is for (`payment:<id>`, `refund:<id>`): the same source again writes nothing */
  sourceKey: string;
  at: Date;
}

/** Appends an entry once per source; answers whether it was new. */
export async function record(trx: Tx, e: LedgerEntry): Promise<boolean> {
  const row = await trx.insertInto('prepayment_ledger').values({
    tenant_id: e.tenantId, kind: e.kind, amount: e.amount, currency: e.currency, method: e.method, booking_id: e.bookingId, contact_id: e.contactId,
    service_id: e.serviceId, specialist_id: e.specialistId, payment_id: e.paymentId ?? null, refund_id: e.refundId ?? null, source_key: e.sourceKey, at: e.at,
  }).onConflict((oc) => oc.columns(['tenant_id', 'source_key']).doNothing()).returning('id').executeTakeFirst();
  return row !== undefined;
}
