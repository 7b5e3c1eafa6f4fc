import { useId, type ReactElement } from 'react';
import { query } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { ErrorNote } from '../ui/Status.js';
import { useApi } from '../query.js';
import type { ContactItem } from './types.js';

/**
 * A search box over the business's contacts (name, any phone format, email) and its results, each handed to `row`.
 * `needsText`: list nothing until something is typed.
 */
export function ContactSearch({ q, onQ, label, row, needsText }: { q: string; onQ(q: string): void; label: string; row(c: ContactItem): ReactElement; needsText?: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const idle = needsText === true && !q.trim();
  const list = useApi<{ items: ContactItem[]; total: number }>(idle ? null : `/contacts${query({ q })}`);
  return (
    <>
      <div className="field"><label htmlFor={id}>{label}</label><input id={id} type="search" value={q} onChange={(e) => onQ(e.target.value)} placeholder={t('contacts.searchHint')} /></div>
      <ErrorNote error={list.error} />
      {list.data ? (
        <table className="table" aria-label={t('nav.clients')}>
          <thead><tr><th>{t('contacts.name')}</th><th>{t('contacts.reach')}</th><th /></tr></thead>
          <tbody>
            {list.data.items.length === 0 ? <tr><td colSpan={3} className="muted">{t('common.empty')}</td></tr> : null}
            {list.data.items.map(row)}
          </tbody>
        </table>
      ) : null}
      {list.data && list.data.total > list.data.items.length ? <p className="muted small">{t('contacts.more', { shown: list.data.items.length, total: list.data.total })}</p> : null}
    </>
  );
}

/** How a contact is reached, as short tags: its phones and emails (a typed, unproven one marked), its chats. */
export function Reach({ identities }: { identities: ContactItem['identities'] }) {
  const { t } = useI18n();
  return (
    <>
      {identities.map((i) => (
        <span key={`${i.kind}:${i.value}`} className={`tag${i.verified ? ' ok' : ''}`} title={i.verified ? t('contacts.verified') : t('contacts.unverified')}>
          {i.kind === 'phone' || i.kind === 'email' ? i.value : t(`contacts.kind.${i.kind}` as 'contacts.kind.telegram')}{i.verified ? '' : ' ?'}
        </span>
      ))}
    </>
  );
}
