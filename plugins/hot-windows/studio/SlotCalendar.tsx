import { useI18n, useMessages } from 'bookflow/studio';
import type { Kind, Slot } from './api.js';
import { messages } from './messages.js';

/** Two weeks of a service's free slots by day, each colored by kind (regular, hot, online), with the legend. */
export function SlotCalendar({ slots, legend }: { slots: Slot[]; legend: Record<Kind, string> }) {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const days = new Map<string, Slot[]>();
  for (const s of slots) {
    const day = new Date(s.start).toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short' });
    days.set(day, [...(days.get(day) ?? []), s]);
  }
  const time = (v: string) => new Date(v).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  return (
    <div>
      <p className="row" aria-label={t('legend.title')}>
        {(Object.keys(legend) as Kind[]).map((k) => <span key={k} className="small"><span style={{ background: legend[k], display: 'inline-block', width: 12, height: 12, borderRadius: 3, marginRight: 4 }} />{t(`legend.${k}`)}</span>)}
      </p>
      {days.size === 0 ? <p className="muted">{t('none')}</p> : null}
      {[...days].map(([day, list]) => (
        <div key={day} className="row" style={{ flexWrap: 'wrap', gap: 4, marginBottom: 6 }}>
          <strong style={{ minWidth: 110 }}>{day}</strong>
          {list.map((s) => (
            <span key={`${s.start}|${s.resourceIds.join()}`} data-kind={s.kind} title={t(`legend.${s.kind}`)} style={{ background: s.color, color: '#fff', borderRadius: 4, padding: '2px 6px', fontSize: 12 }}>
              {s.kind === 'hot' ? '🔥 ' : ''}{time(s.start)}
            </span>
          ))}
        </div>
      ))}
    </div>
  );
}
