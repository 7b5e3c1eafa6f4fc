import { useId, useState, type FormEvent } from 'react';
import { ErrorNote, Loading, useI18n, useLoad, useMessages } from 'bookflow/studio';
import { addCertificate, loadCertificates } from './loyalty.js';
import { messages } from './messages.js';

/** The gift certificate register: number, nominal, what is left, when sold, validity, status; and a new one. */
export function CertificatesPage() {
  const { t, tx } = useMessages(messages);
  const { locale } = useI18n();
  const id = useId();
  const list = useLoad(loadCertificates, []);
  const [form, setForm] = useState({ number: '', nominal: '', validUntil: '' });
  const [error, setError] = useState<unknown>(null);
  const day = (iso: string) => new Date(iso).toLocaleDateString(locale);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await addCertificate({ number: form.number, nominal: Number(form.nominal), validUntil: new Date(`${form.validUntil}T23:59:59`).toISOString() });
      setForm({ number: '', nominal: '', validUntil: '' });
      list.reload();
    } catch (err) { setError(err); }
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <section>
      <h1>{t('certs.title')}</h1>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data?.length === 0 ? <p className="muted">{t('certs.none')}</p> : null}
      {list.data?.length ? (
        <table className="table" aria-label={t('certs.title')}>
          <thead><tr><th>{t('certs.number')}</th><th>{t('certs.nominal')}</th><th>{t('certs.balance')}</th><th>{t('certs.soldAt')}</th><th>{t('certs.validUntil')}</th><th>{t('certs.status')}</th></tr></thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id}><td>{c.number}</td><td>{c.nominal}</td><td>{c.balance}</td><td>{day(c.soldAt)}</td><td>{day(c.validUntil)}</td><td>{tx(`status.${c.status}`, c.status)}</td></tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={submit}>
        <h3>{t('certs.add')}</h3>
        <div className="field"><label htmlFor={`${id}-n`}>{t('certs.number')}</label><input id={`${id}-n`} required pattern="[A-Za-z0-9-]+" maxLength={64} value={form.number} onChange={set('number')} /></div>
        <div className="field"><label htmlFor={`${id}-v`}>{t('certs.nominal')}</label><input id={`${id}-v`} type="number" min={0.01} step={0.01} required value={form.nominal} onChange={set('nominal')} /></div>
        <div className="field"><label htmlFor={`${id}-u`}>{t('certs.validUntil')}</label><input id={`${id}-u`} type="date" required value={form.validUntil} onChange={set('validUntil')} /></div>
        <ErrorNote error={error} />
        <div className="form-actions"><button type="submit" className="primary">{t('certs.add')}</button></div>
      </form>
    </section>
  );
}
