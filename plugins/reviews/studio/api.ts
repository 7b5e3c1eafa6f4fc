import { authHeaders, get, patch, post, query } from 'bookflow/studio';

/** A review as GET /api/v1/reviews lists it. */
export interface Review {
  id: string; bookingId: string | null; contactId: string; serviceId: string; resourceIds: string[]; visitStart: string; rating: number; comment: string; author: string;
  publishConsent: boolean; status: 'new' | 'published' | 'hidden'; reply: string | null; repliedAt: string | null; postedAt: string | null; createdAt: string;
  clientName: string; serviceName: string; specialists: Array<{ id: string; name: string }>;
  channelPostedAt: string | null;
  /** what the client sent in Telegram, in order: core's file ids (`thumbFileId`: a small preview) */
  media: Array<{ id: string; kind: 'photo' | 'video'; status: 'pending' | 'stored' | 'rejected'; fileId: string | null; thumbFileId: string | null }>;
}
export interface Filter { rating?: string; resourceId?: string; serviceId?: string; from?: string; to?: string; status?: string }
export interface Average { id: string; name: string; count: number; average: number; trend: Array<{ period: string; average: number; count: number }> }

/**
 * `canShare`: the caller may share reviews and there is an audience to share them with (broadcasts, a segment);
 * `canPostToChannel`: the caller may post and the business set its Telegram channel and has a bot.
 */
export const loadReviews = (f: Filter) => get<{ total: number; items: Review[]; canShare: boolean; canPostToChannel: boolean }>(`/reviews${query({ ...f, limit: 100 })}`);
export const postToChannel = (id: string) => post(`/reviews/${id}/channel`, {});

/** A stored file as a URL the page may show (the route needs the session's headers, which an <img> does not send). */
export async function fileUrl(fileId: string): Promise<string> {
  const res = await fetch(`/api/v1/files/${fileId}`, { headers: authHeaders(), credentials: 'same-origin' });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  return URL.createObjectURL(await res.blob());
}
export const setStatus = (id: string, status: Review['status']) => patch<Review>(`/reviews/${id}`, { status });
export const replyTo = (id: string, text: string) => post(`/reviews/${id}/reply`, { text });
export const shareReview = (id: string) => post(`/reviews/${id}/post`, {});
export const loadStats = (from: string, to: string) => get<{ specialists: Average[]; services: Average[] }>(`/reviews/stats${query({ from, to })}`);
