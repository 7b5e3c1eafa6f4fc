import { get } from 'bookflow/studio';

export interface Marks { contactId: string; status: 'first' | 'repeat' | 'vip'; color: string | null; earlierThan: string | null; locked: boolean; fixedResourceId: string | null; contract: boolean }
interface Answer { items: Marks[]; contractServiceIds: string[] }

/**
 * One request for all the cells a page draws at once: the journal and the register show a widget per booking, so
 * their asks of the same tick are batched into one `/crm/marks` call (at most 200 clients each).
 */
let pending: Map<string, Array<(a: { marks: Marks | undefined; contractServiceIds: string[] }) => void>> | null = null;

export function loadMarks(contactId: string): Promise<{ marks: Marks | undefined; contractServiceIds: string[] }> {
  return new Promise((resolve) => {
    if (!pending) {
      pending = new Map();
      setTimeout(flush, 0);
    }
    pending.set(contactId, [...(pending.get(contactId) ?? []), resolve]);
  });
}

async function flush() {
  const batch = pending!;
  pending = null;
  const ids = [...batch.keys()];
  for (let i = 0; i < ids.length; i += 200) {
    const part = ids.slice(i, i + 200);
    const answer = await get<Answer>(`/crm/marks?contactIds=${part.join(',')}`).catch((): Answer => ({ items: [], contractServiceIds: [] }));
    for (const id of part) {
      const marks = answer.items.find((m) => m.contactId === id);
      for (const done of batch.get(id)!) done({ marks, contractServiceIds: answer.contractServiceIds });
    }
  }
}
