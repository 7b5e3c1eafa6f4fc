import { get, post } from 'bookflow/studio';

export type Status = 'draft' | 'scheduled' | 'running' | 'paused' | 'cancelled' | 'finished';
export interface Counts { recipients: number; queued: number; sending: number; sent: number; failed: number; blocked: number; unsubscribed: number; clicked: number; booked: number }
export interface Campaign {
  id: string; name: string; status: Status; sendAt: string | null; createdAt: string;
  counts: Counts; excluded: { optedOut: number; unreachable: number };
  results: { deliveryRate: number; clickRate: number; bookingRate: number; bookings: number };
}
export interface Segment { id: string; name: string }

export const loadCampaigns = () => get<{ items: Campaign[] }>('/broadcasts').then((r) => r.items);
export const loadCampaign = (id: string) => get<Campaign>(`/broadcasts/${id}`);
export const loadSegments = () => get<{ items: Segment[] }>('/segments').then((r) => r.items);
export const act = (id: string, action: 'start' | 'pause' | 'resume' | 'cancel') => post<Campaign>(`/broadcasts/${id}/${action}`);
export const sendTest = (id: string) => post<{ queued: number }>(`/broadcasts/${id}/test`);
export const createCampaign = (body: Record<string, unknown>) => post<{ id: string }>('/broadcasts', body);

/** What a campaign in a status may be told to do. */
export const ACTIONS: Record<Status, Array<'start' | 'pause' | 'resume' | 'cancel'>> = {
  draft: ['start', 'cancel'], scheduled: ['pause', 'cancel'], running: ['pause', 'cancel'], paused: ['resume', 'cancel'], cancelled: [], finished: [],
};
