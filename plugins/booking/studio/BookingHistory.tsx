import { get, useI18n, useLoad, useMessages } from 'bookflow/studio';
import { deskMessages } from './desk-messages.js';
import { messages } from './messages.js';
import { toWall } from './wallclock.js';

interface Change { id: number; action: string; actor: { kind: string; email: string | null }; before: Snapshot | null; after: Snapshot | null; at: string }
interface Snapshot { status: string; start: string; end: string; resourceIds: string[]; comment: string; cancelReason: string | null }
const ACTIONS = ['created', 'cancelled', 'restored', 'rescheduled', 'status', 'updated'] as const;

/** Every change of a booking: who, when, and what was before and after. */
export function BookingHistory({ id, zone, names, version }: { id: string; zone: string; names: (resourceId: string) => string; version: unknown }) {
  const { locale } = useI18n();
  const { t } = useMessages(deskMessages);
  const { t: bt } = useMessages(messages);
  const h = useLoad(() => get<{ items: Change[] }>(`/bookings/${id}/history`), [id, version]);
  const when = (iso: string) => toWall(iso, zone).toLocaleString(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const who = (c: Change) => c.actor.email ?? t(c.actor.kind === 'client' ? 'history.client' : 'history.system');
  const state = (s: Snapshot) => `${bt(`status.${s.status as 'confirmed'}`)} · ${when(s.start)} · ${s.resourceIds.map(names).join(', ')}${s.cancelReason ? ` · ${s.cancelReason}` : ''}`;
  const items = h.data?.items ?? [];
  return (
    <section aria-label={t('card.history')}>
      <h3>{t('card.history')}</h3>
      {!items.length ? <p className="muted small">{t('card.historyEmpty')}</p> : (
        <ol className="booking-history">
          {items.map((c) => (
            <li key={c.id}>
              <b>{(ACTIONS as readonly string[]).includes(c.action) ? t(`history.${c.action as 'created'}`) : c.action}</b>{' '}
              <span className="muted small">{when(c.at)} · {who(c)}</span>
              <div className="small">
                {c.before ? <><s>{state(c.before)}</s> → </> : null}{c.after ? state(c.after) : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
