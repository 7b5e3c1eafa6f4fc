import { patch } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { useApiMutation } from '../query.js';
import type { StaffColumn } from './types.js';

const RESOURCES = '/booking/resources';

/**
 * Which staff column of the journal is this member's: booking owns the columns, so the link is its resource's
 * userId. Choosing another column unlinks the old one first (one column per member here).
 */
export function StaffLink({ userId, email, columns }: { userId: string; email: string; columns: StaffColumn[] }) {
  const { t } = useI18n();
  const mine = columns.find((c) => c.userId === userId);
  const link = useApiMutation<string>({
    request: async (to) => {
      if (mine) await patch(`${RESOURCES}/${mine.id}`, { userId: null });
      if (to) await patch(`${RESOURCES}/${to}`, { userId });
    },
    optimistic: {
      path: RESOURCES,
      update: (cur: { items: StaffColumn[] }, to) => ({ items: cur.items.map((c) => (c.id === to ? { ...c, userId } : c.userId === userId ? { ...c, userId: null } : c)) }),
    },
  });
  return (
    <>
      <label className="sr-only" htmlFor={`staff-${userId}`}>{`${t('team.staff')}: ${email}`}</label>
      <select id={`staff-${userId}`} value={mine?.id ?? ''} onChange={(e) => link.mutate(e.target.value)} disabled={link.isPending}>
        <option value="">{t('team.noStaff')}</option>
        {columns.map((c) => <option key={c.id} value={c.id} disabled={c.userId !== null && c.userId !== userId}>{c.name}</option>)}
      </select>
    </>
  );
}
