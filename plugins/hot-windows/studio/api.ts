import { del, get, post, query } from 'bookflow/studio';

export type Kind = 'regular' | 'hot' | 'online';
export interface Slot { start: string; end: string; resourceIds: string[]; kind: Kind; color: string; pay: { amount: number; currency: string } }
export interface Named { id: string; name: string }
export interface Window { id: string; serviceIds: string[]; resourceIds: string[]; dateFrom: string; dateTo: string; fromMin: number; toMin: number; discountPercent: number; expired: boolean }
export interface Proposal { resourceIds: string[]; serviceIds: string[]; dateFrom: string; dateTo: string; from: string; to: string; freeHours: number }
export interface Draft { resourceIds: string[]; serviceIds: string[]; dateFrom: string; dateTo: string; from: string; to: string; discountPercent?: number; prepaymentAmount?: number; segmentIds?: string[] }

export const loadCalendar = (serviceId: string) => get<{ legend: Record<Kind, string>; slots: Slot[] }>(`/hot-windows/calendar${query({ serviceId })}`);
export const loadWindows = () => get<{ items: Window[] }>('/hot-windows').then((r) => r.items);
export const loadProposals = (serviceId: string) => get<{ items: Proposal[] }>(`/hot-windows/proposals${query({ serviceId })}`).then((r) => r.items);
export const loadServices = () => get<{ items: Named[] }>('/booking/services').then((r) => r.items);
export const loadStaff = () => get<{ items: Array<Named & { kind: string }> }>('/booking/resources').then((r) => r.items.filter((x) => x.kind === 'staff'));
export const loadSegments = () => get<{ items: Named[] }>('/segments').then((r) => r.items);
export const createWindow = (d: Draft) => post('/hot-windows', d);
export const cancelWindow = (id: string) => del(`/hot-windows/${id}`);
