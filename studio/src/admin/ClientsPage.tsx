import { useId, useState } from 'react';
import { get, query } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { ErrorNote } from '../ui/Status.js';
import { useLoad } from '../ui/useLoad.js';
import { Dialog } from '../ui/Dialog.js';
import { Zone } from '../plugins/Zone.js';

interface Client { id: string; name: string; phone?: string | null; createdAt?: string }

/** Client search; the full client card comes with the CRM capability. */
export function ClientsPage() {
  const { t } = useI18n();
  const id = useId();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<Client | null>(null);
  const list = useLoad(() => get<{ items: Client[] }>(`/clients${query({ q })}`), [q]);
  return (
    <div className="page">
      <h1>{t('nav.clients')}</h1>
      <div className="field"><label htmlFor={id}>{t('bookings.search')}</label><input id={id} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('clients.searchHint')} /></div>
      <ErrorNote error={list.error} />
      {list.data ? (
        <table className="table">
          <thead><tr><th>{t('clients.name')}</th><th>{t('clients.phone')}</th></tr></thead>
          <tbody>
            {list.data.items.length === 0 ? <tr><td colSpan={2} className="muted">{t('common.empty')}</td></tr> : null}
            {list.data.items.map((c) => <tr key={c.id}><td><button type="button" className="link" onClick={() => setOpen(c)}>{c.name}</button></td><td>{c.phone ?? ''}</td></tr>)}
          </tbody>
        </table>
      ) : null}
      {open ? (
        <Dialog title={open.name} onClose={() => setOpen(null)}>
          <p>{open.phone ?? ''}</p>
          <Zone name="client.card" props={{ contactId: open.id }} />
        </Dialog>
      ) : null}
    </div>
  );
}
