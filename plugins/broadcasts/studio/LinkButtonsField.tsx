import { useId } from 'react';
import { useMessages } from 'bookflow/studio';
import type { LinkButton } from './draft.js';
import { messages } from './messages.js';

/** The message's link buttons (a label and an https or http address each), added and removed one by one. */
export function LinkButtonsField({ rows, max, onChange }: { rows: LinkButton[]; max: number; onChange(rows: LinkButton[]): void }) {
  const { t } = useMessages(messages);
  const id = useId();
  const set = (i: number, patch: Partial<LinkButton>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="field">
      <legend>{t('links')}</legend>
      {rows.map((r, i) => (
        <div className="row" key={i}>
          <label htmlFor={`${id}-label-${i}`} className="sr-only">{t('linkLabel', { n: i + 1 })}</label>
          <input id={`${id}-label-${i}`} required maxLength={64} value={r.label} placeholder={t('linkLabelHint')} onChange={(e) => set(i, { label: e.target.value })} />
          <label htmlFor={`${id}-url-${i}`} className="sr-only">{t('linkUrl', { n: i + 1 })}</label>
          <input id={`${id}-url-${i}`} type="url" required pattern="https?://.+" maxLength={2000} value={r.url} onChange={(e) => set(i, { url: e.target.value })} />
          <button type="button" className="secondary small" onClick={() => onChange(rows.filter((_, j) => j !== i))}>{t('linkRemove')}</button>
        </div>
      ))}
      {rows.length < max ? <button type="button" className="secondary small" onClick={() => onChange([...rows, { label: '', url: '' }])}>{t('linkAdd')}</button> : null}
    </fieldset>
  );
}
