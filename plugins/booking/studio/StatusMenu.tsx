import { useEffect, useLayoutEffect, useRef } from 'react';
import { patch, useMessages } from 'bookflow/studio';
import { NEXT } from './BookingCard.js';
import type { JournalBookingView } from './JournalPage.js';
import { journalMessages } from './journal-messages.js';

export interface MenuAnchor { booking: JournalBookingView; x: number; y: number }

/**
 * The one-click status moves of a booking on the grid (arrived, completed, no-show…), opened from its block:
 * the desk marks a visit without opening the card. Outside the calendar, so a click here never starts a drag.
 */
export function StatusMenu({ anchor, onClose, onDone, onError }: { anchor: MenuAnchor; onClose(): void; onDone(): void; onError(e: unknown): void }) {
  const { t } = useMessages(journalMessages);
  const ref = useRef<HTMLDivElement>(null);
  // Opened from a block near the window's edge, the menu is moved in so that all of it can be pressed.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const { width, height } = el.getBoundingClientRect();
    el.style.left = `${Math.max(4, Math.min(anchor.x, window.innerWidth - width - 4))}px`;
    el.style.top = `${Math.max(4, Math.min(anchor.y, window.innerHeight - height - 4))}px`;
  }, [anchor]);
  useEffect(() => {
    ref.current?.querySelector('button')?.focus();
    const away = (e: MouseEvent) => { if (!ref.current?.contains(e.target as Node)) onClose(); };
    const esc = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(); };
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', esc);
    return () => { document.removeEventListener('mousedown', away); document.removeEventListener('keydown', esc); };
  }, [onClose]);
  const to = async (status: string) => {
    onClose();
    try { await patch(`/bookings/${anchor.booking.id}`, { status }); } catch (e) { onError(e); }
    onDone();
  };
  return (
    <div ref={ref} className="jb-menu" role="menu" aria-label={t('menu.title')} style={{ left: anchor.x, top: anchor.y }}>
      {(NEXT[anchor.booking.status] ?? []).map((s) => (
        <button key={s} type="button" role="menuitem" className="secondary small" onClick={() => void to(s)}>{t(`card.to.${s}`)}</button>
      ))}
    </div>
  );
}
