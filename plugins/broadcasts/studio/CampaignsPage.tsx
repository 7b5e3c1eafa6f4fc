import { useState } from 'react';
import { ErrorNote, Loading, useI18n, useLoad, useMessages } from 'bookflow/studio';
import { CampaignForm } from './CampaignForm.js';
import { CampaignProgress } from './CampaignProgress.js';
import { loadCampaigns } from './campaigns.js';
import { messages } from './messages.js';

/** The business's campaigns: create a draft, watch one's progress live, pause, resume or cancel it. */
export function CampaignsPage() {
  const { t } = useMessages(messages);
  const { locale } = useI18n();
  const list = useLoad(loadCampaigns);
  const [open, setOpen] = useState<string | null>(null);
  const when = (v: string) => new Date(v).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="page">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <CampaignForm onCreated={(id) => { list.reload(); setOpen(id); }} />
      {open ? <CampaignProgress key={open} id={open} onChanged={list.reload} /> : null}
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data ? (
        <table className="table" aria-label={t('title')}>
          <thead><tr><th>{t('name')}</th><th>{t('status')}</th><th>{t('recipients')}</th><th>{t('sent')}</th><th>{t('clicked')}</th><th /></tr></thead>
          <tbody>
            {list.data.length === 0 ? <tr><td colSpan={6} className="muted">{t('none')}</td></tr> : null}
            {list.data.map((c) => (
              <tr key={c.id}>
                <td>{c.name}<div className="muted small">{when(c.sendAt ?? c.createdAt)}</div></td>
                <td>{t(`status.${c.status}`)}</td><td>{c.counts.recipients}</td><td>{c.counts.sent}</td><td>{c.counts.clicked}</td>
                <td className="row-actions"><button type="button" className="secondary small" onClick={() => setOpen(c.id)}>{t('status')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
