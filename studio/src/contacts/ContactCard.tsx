import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, patch, post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { navigate } from '../router.js';
import { Zone } from '../plugins/Zone.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi } from '../query.js';
import { ContactMessages } from './ContactMessages.js';
import { ContactSearch, Reach } from './ContactSearch.js';
import type { ContactCardData } from './types.js';

/**
 * One client's card: how to reach them, their marketing consent, tags and notes, and merging a duplicate into them.
 * Enabled plugins add their sections (visits, points, the message log) through the `client.card` zone.
 */
export function ContactCard({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const card = useApi<ContactCardData>(`/contacts/${contactId}`);
  // Kept here, not in the form: the reload after a save remounts the form with the saved data.
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [contactId]);
  // A merged id answers with the contact it became: show that one under its own address.
  const shownId = card.data?.id;
  useEffect(() => { if (shownId && shownId !== contactId) navigate(`/contacts/${shownId}`, true); }, [shownId, contactId]);
  if (card.error) return <ErrorNote error={card.error} />;
  if (!card.data) return <Loading />;
  const c = card.data;
  return (
    <div className="page narrow">
      <h1>{c.name}</h1>
      <section className="card" aria-label={t('contacts.reach')}>
        <h2>{t('contacts.reach')}</h2>
        {c.identities.length ? <Reach identities={c.identities} /> : <p className="muted">{t('common.empty')}</p>}
      </section>
      <ContactForm key={JSON.stringify(c)} contact={c} onSaved={card.reload} saved={saved} setSaved={setSaved} />
      <ContactMessages contactId={c.id} />
      <MergeDuplicate contact={c} onMerged={card.reload} />
      <Zone name="client.card" props={{ contactId: c.id }} />
    </div>
  );
}

interface FormProps { contact: ContactCardData; onSaved(): void; saved: boolean; setSaved(saved: boolean): void }

function ContactForm({ contact, onSaved, saved, setSaved }: FormProps) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: contact.name, tags: contact.tags.join(', '), notes: contact.notes, birthday: contact.birthday ?? '', marketing: contact.consent.marketing === true });
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      const marketingChanged = form.marketing !== (contact.consent.marketing === true);
      await patch(`/contacts/${contact.id}`, {
        name: form.name, notes: form.notes, birthday: form.birthday || null,
        tags: form.tags.split(',').map((x) => x.trim()).filter(Boolean),
        ...(marketingChanged ? { consent: { marketing: form.marketing } } : {}),
      });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err : String(err));
    }
  };
  const consent = contact.consent.marketingAt
    ? t(contact.consent.marketing ? 'contacts.optedIn' : 'contacts.optedOut', { at: new Date(contact.consent.marketingAt).toLocaleString(), source: contact.consent.marketingSource ?? '' })
    : t('contacts.consentNone');
  return (
    <form className="card" onSubmit={submit} aria-label={t('contacts.details')}>
      <div className="field"><label htmlFor="contact-name">{t('contacts.name')}</label><input id="contact-name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></div>
      <div className="field"><label htmlFor="contact-tags">{t('contacts.tags')}</label><input id="contact-tags" value={form.tags} onChange={(e) => setForm({ ...form, tags: e.target.value })} /></div>
      <div className="field"><label htmlFor="contact-birthday">{t('contacts.birthday')}</label><input id="contact-birthday" type="date" value={form.birthday} onChange={(e) => setForm({ ...form, birthday: e.target.value })} /></div>
      <div className="field"><label htmlFor="contact-notes">{t('contacts.notes')}</label><textarea id="contact-notes" rows={4} value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} /></div>
      <div className="field">
        <label><input type="checkbox" checked={form.marketing} onChange={(e) => setForm({ ...form, marketing: e.target.checked })} /> {t('contacts.marketing')}</label>
        <p className="muted small">{consent}</p>
      </div>
      <ErrorNote error={error} />
      {saved ? <div className="ok-note" role="status">{t('common.saved')}</div> : null}
      <div className="form-actions"><button type="submit" className="primary">{t('common.save')}</button></div>
    </form>
  );
}

function MergeDuplicate({ contact, onMerged }: { contact: ContactCardData; onMerged(): void }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [error, setError] = useState<unknown>(null);
  const merge = async (otherId: string, name: string) => {
    if (!window.confirm(t('contacts.mergeConfirm', { other: name, into: contact.name }))) return;
    setError(null);
    try {
      await post(`/contacts/${contact.id}/merge`, { otherId });
      setQ('');
      onMerged();
    } catch (err) {
      setError(err instanceof ApiError ? err : String(err));
    }
  };
  return (
    <section className="card" aria-label={t('contacts.merge')}>
      <h2>{t('contacts.merge')}</h2>
      <p className="muted small">{t('contacts.mergeHelp')}</p>
      <ContactSearch q={q} onQ={setQ} label={t('contacts.findDuplicate')} needsText row={(c) => (
        <tr key={c.id}>
          <td>{c.name}</td>
          <td><Reach identities={c.identities} /></td>
          <td className="row-actions">{c.id === contact.id ? null : <button type="button" onClick={() => merge(c.id, c.name)}>{t('contacts.mergeHere')}</button>}</td>
        </tr>
      )} />
      <ErrorNote error={error} />
    </section>
  );
}
