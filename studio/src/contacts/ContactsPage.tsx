import { useState, type FormEvent } from 'react';
import { ApiError, post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { Link, navigate } from '../router.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNote } from '../ui/Status.js';
import { ContactSearch, Reach } from './ContactSearch.js';
import type { ContactCardData } from './types.js';

/** The business's clients: search by name, phone in any format or email; add one at the desk. */
export function ContactsPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);
  return (
    <div className="page">
      <div className="row"><h1>{t('nav.clients')}</h1><button type="button" onClick={() => setAdding(true)}>{t('contacts.new')}</button></div>
      <ContactSearch q={q} onQ={setQ} label={t('contacts.search')} row={(c) => (
        <tr key={c.id}>
          <td><Link to={`/contacts/${c.id}`}>{c.name}</Link></td>
          <td><Reach identities={c.identities} /></td>
          <td />
        </tr>
      )} />
      {adding ? <NewContact onClose={() => setAdding(false)} /> : null}
    </div>
  );
}

function NewContact({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: '', phone: '', email: '' });
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const body = Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== ''));
      const made = await post<ContactCardData>('/contacts', body);
      navigate(`/contacts/${made.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : String(err));
    }
  };
  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <div className="field"><label htmlFor={`new-contact-${key}`}>{label}</label>
      <input id={`new-contact-${key}`} type={type} value={form[key]} required={key === 'name'} onChange={(e) => setForm({ ...form, [key]: e.target.value })} /></div>
  );
  return (
    <Dialog title={t('contacts.new')} onClose={onClose}>
      <form onSubmit={submit}>
        {field('name', t('contacts.name'))}
        {field('phone', t('contacts.phone'), 'tel')}
        {field('email', t('contacts.email'), 'email')}
        <ErrorNote error={error} />
        <div className="form-actions"><button type="submit" className="primary">{t('common.save')}</button></div>
      </form>
    </Dialog>
  );
}
