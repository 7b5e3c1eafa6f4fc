import { get, post, query } from 'bookflow/studio';

export interface Entry {
  kind: string; ledger: 'points' | 'deposit' | 'certificate'; points: number; amount: number | null; balanceAfter: number; debtAfter: number;
  certificateNumber: string | null; reason: string; expiresAt: string | null; at: string;
}
/** GET /api/v1/loyalty/accounts/:contactId */
export interface Account {
  balance: number; debt: number; tier: { id: string; name: string; percent: number }; vip: boolean; blockedUntil: string | null;
  deposit: number; currency: string; nextRedeemAt: string | null; entries: Entry[];
}
export interface Certificate { id: string; number: string; nominal: number; balance: number; currency: string; soldAt: string; validUntil: string; status: string }
export interface Report { issued: number; redeemed: number; penalties: number; liability: number; debt: number }
export interface CertificateAnalytics { sold: { count: number; amount: number }; redeemed: number; outstanding: { count: number; amount: number }; expired: { count: number; amount: number } }

const account = (contactId: string) => `/loyalty/accounts/${contactId}`;
export const loadAccount = (contactId: string) => get<Account>(account(contactId));
export const adjust = (contactId: string, points: number, reason: string) => post<Account>(`${account(contactId)}/adjust`, { points, reason });
export const topUp = (contactId: string, amount: number) => post<Account>(`${account(contactId)}/deposit`, { amount });
export const unblock = (contactId: string, reason: string) => post<Account>(`${account(contactId)}/unblock`, { reason });
export const loadCertificates = () => get<{ items: Certificate[] }>('/loyalty/certificates').then((r) => r.items);
export const addCertificate = (c: { number: string; nominal: number; validUntil: string }) => post<Certificate>('/loyalty/certificates', c);
export const loadReport = (range: { from: string; to: string }) => get<Report>(`/loyalty/reports${query(range)}`);
export const loadCertificateAnalytics = (range: { from: string; to: string }) => get<CertificateAnalytics>(`/loyalty/certificates-analytics${query(range)}`);
