/**
 * What loyalty offers other plugins (types only: `import type` it; list `loyalty` in optionalDependencies and
 * reach it with `ctx.optionalService('loyalty', tenantId)`): a contact's account, and certificates and the
 * deposit balance as tenders that pay part of a booking.
 */
import type { Db, Money, Tx } from '../../plugin-sdk.js';

export interface LoyaltyAccount {
  contactId: string;
  /** points, 1 point = 1 unit of the business's currency */
  balance: number;
  debt: number;
  tier: { id: string; name: string; percent: number };
  vip: boolean;
  /** online booking refused until then (ISO), null when not blocked */
  blockedUntil: string | null;
  /** money on deposit (the account balance of seed 003) */
  deposit: Money;
}

/** One ledger entry as staff and the client's data export see it. */
export interface LoyaltyEntry {
  kind: string;
  ledger: string;
  points: number;
  /** money entries (deposit, certificate) in major units */
  amount: number | null;
  balanceAfter: number;
  debtAfter: number;
  source: { kind: string; id: string };
  certificateNumber: string | null;
  reason: string;
  expiresAt: string | null;
  at: string;
}

export type TenderKind = 'points' | 'certificate' | 'deposit';

export interface TenderInput {
  bookingId: string;
  contactId: string;
  kind: TenderKind;
  /** minor units of the business's currency */
  amount: number;
  /** for a certificate */
  certificateNumber?: string;
}

/** Points as a tender: how many, and what they pay in minor units (1 point = 1 major unit). */
export interface PointsTender {
  points: number;
  amount: number;
}

export interface LoyaltyService {
  /** The contact's account (an empty one when the contact has none yet). */
  account(tenantId: string, contactId: string, q?: Db | Tx): Promise<LoyaltyAccount>;
  /** The contact's ledger entries (points, deposit, certificates), newest first: what a data-subject export lists. */
  entries(tenantId: string, contactId: string, q?: Db | Tx): Promise<LoyaltyEntry[]>;
  /** Points the contact would earn on a visit of this price (what a reminder shows). */
  pointsToEarn(tenantId: string, contactId: string, price: Money, q?: Db | Tx): Promise<number>;
  /**
   * Pays part of a booking with points, a certificate or the deposit: checked by loyalty's rules (at most
   * 50 % in points, one redemption per 14 days…) and held; spent when the visit completes, returned when the
   * booking is cancelled. Idempotent per (booking, kind). Refuses with loyalty's coded errors.
   */
  applyTender(trx: Tx, tenantId: string, tender: TenderInput): Promise<{ applied: number }>;
  /**
   * What points may pay of a booking now, by loyalty's rules, as an amount `applyTender` accepts as it is
   * (whole points, minor units): at most `maxRedeemPercent` of the price, the client's balance and what other
   * tenders leave; nothing while the redemption interval runs, points already pay part, or the booking is closed.
   * `cover`: what the caller wants paid (a prepayment) — then the fewest whole points covering it, or all allowed.
   */
  redeemable(tenantId: string, query: { bookingId: string; cover?: number }, q?: Db | Tx): Promise<PointsTender>;
  /** What tenders hold for a booking now, by kind (minor units). */
  tenders(tenantId: string, bookingId: string, q?: Db | Tx): Promise<Array<{ kind: TenderKind; amount: number; certificateNumber?: string }>>;
  /**
   * Credits (or, negative, debits into debt) points from another plugin's source (referrals' bonus), once per
   * (sourceKind, sourceId, kind): a repeat answers false.
   */
  credit(trx: Tx, tenantId: string, entry: PointsEntry): Promise<{ posted: boolean; balance: number }>;
  /**
   * A report as a file in the same form as loyalty's own (CSV with a BOM and formula-safe cells, or XLSX), for
   * referrals' report: one header row of `columns`, then `rows` by column name.
   */
  sheet(format: 'csv' | 'xlsx', name: string, columns: string[], rows: SheetRow[]): Promise<{ contentType: string; filename: string; body: string | Buffer }>;
}

export type SheetRow = Record<string, string | number | null>;

export interface PointsEntry {
  contactId: string;
  /** e.g. `referral-bonus`, `referral-bonus-reversal` */
  kind: string;
  points: number;
  sourceKind: string;
  sourceId: string;
  reason?: string;
}

declare module '../../plugin-sdk.js' {
  interface PluginServices {
    'loyalty': LoyaltyService;
  }
}
