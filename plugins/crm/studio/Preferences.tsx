import { useState } from 'react';
import { ErrorNote, put, useMessages, type Option } from 'bookflow/studio';
import { messages } from './messages.js';

type Kind = 'positive' | 'negative';

/** Liked (pink) and disliked (grey) specialists: "any specialist" in the bot prefers the first and avoids the second. */
export function Preferences({ contactId, staff, initial, editable }: { contactId: string; staff: Option[]; initial: Array<{ resourceId: string; kind: Kind }>; editable: boolean }) {
  const { t } = useMessages(messages);
  const [prefs, setPrefs] = useState(new Map(initial.map((p) => [p.resourceId, p.kind])));
  const [error, setError] = useState<unknown>(null);
  const choose = async (resourceId: string, kind: Kind | '') => {
    const next = new Map(prefs);
    if (kind) next.set(resourceId, kind); else next.delete(resourceId);
    setError(null);
    try {
      await put(`/crm/cards/${contactId}/preferences`, { items: [...next].map(([id, k]) => ({ resourceId: id, kind: k })) });
      setPrefs(next);
    } catch (e) { setError(e); }
  };
  return (
    <fieldset className="crm-prefs"><legend>{t('prefs.title')}</legend>
      <ul className="plain">
        {staff.map((s) => {
          const kind = prefs.get(String(s.value));
          return (
            <li key={s.value} className={kind ? `crm-pref-${kind}` : ''}>
              <label>{String(s.label)}{' '}
                <select aria-label={String(s.label)} value={kind ?? ''} disabled={!editable} onChange={(e) => choose(String(s.value), e.target.value as Kind | '')}>
                  <option value="">{t('prefs.neutral')}</option>
                  <option value="positive">{t('prefs.positive')}</option>
                  <option value="negative">{t('prefs.negative')}</option>
                </select>
              </label>
            </li>
          );
        })}
      </ul>
      <ErrorNote error={error} />
    </fieldset>
  );
}
