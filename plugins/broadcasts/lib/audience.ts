import type { Contact, PluginContext, Tx } from '../../../plugin-sdk.js';

const PAGE = 1000;
/** The kinds of identity a message can go out on (core's channels). */
const REACHING = new Set(['telegram', 'webchat', 'email', 'phone']);

export interface Audience {
  contactIds: string[];
  excluded: { optedOut: number; unreachable: number };
}

/** Every contact of the segments, once, in the order the segments list them. */
async function segmentMembers(ctx: PluginContext, trx: Tx, tenantId: string, segmentIds: string[]): Promise<string[]> {
  const seen = new Set<string>();
  for (const segment of segmentIds) {
    for (let after: string | null = null; ;) {
      const page = await ctx.segments.contactIds(trx, tenantId, segment, { after, limit: PAGE });
      for (const id of page.ids) seen.add(id);
      if (!page.next) break;
      after = page.next;
    }
  }
  return [...seen];
}

const reachable = (c: Contact) => c.identities.some((i) => REACHING.has(i.kind) && !i.unreachable);

/**
 * The campaign's recipients as of now: the segments' contacts minus those who opted out (for marketing, those who
 * never opted in too: the outbox would skip them) minus those no channel reaches any more.
 */
export async function audience(ctx: PluginContext, trx: Tx, tenantId: string, segmentIds: string[], purpose: 'marketing' | 'transactional'): Promise<Audience> {
  const members = await segmentMembers(ctx, trx, tenantId, segmentIds);
  const contactIds: string[] = [];
  const excluded = { optedOut: 0, unreachable: 0 };
  for (let i = 0; i < members.length; i += PAGE) {
    const contacts = new Map((await ctx.contacts.getMany(trx, tenantId, members.slice(i, i + PAGE))).map((c) => [c.id, c]));
    for (const id of members.slice(i, i + PAGE)) {
      const c = contacts.get(id);
      if (!c) continue;
      if (purpose === 'marketing' && c.consent.marketing !== true) excluded.optedOut++;
      else if (!reachable(c)) excluded.unreachable++;
      else contactIds.push(id);
    }
  }
  return { contactIds, excluded };
}
