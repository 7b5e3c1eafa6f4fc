import { useState, type FormEvent } from 'react';
import { ApiError, patch, post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { Link, navigate } from '../router.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi } from '../query.js';
import type { Bot, FlowSummary } from '../types.js';

/** The business's bots (Telegram connection and status) and their flows. */
export function FlowsPage() {
  const { t, locale } = useI18n();
  const bots = useApi<{ items: Bot[] }>('/bots');
  const flows = useApi<{ items: FlowSummary[] }>('/flows');
  return (
    <div className="page">
      <h1>{t('flows.title')}</h1>
      <section>
        <h2>{t('bots.title')}</h2>
        <ErrorNote error={bots.error} />
        {/* With the flows too: until they load, a bot's flow would show as its bare key. */}
        {(bots.loading && !bots.data) || (flows.loading && !flows.data) ? <Loading /> : null}
        {bots.data && flows.data ? (
          <table className="table" aria-label={t('bots.title')}>
            <thead><tr><th>{t('bots.name')}</th><th>{t('bots.channel')}</th><th>{t('bots.status')}</th><th>{t('bots.flow')}</th><th /></tr></thead>
            <tbody>
              {bots.data.items.length === 0 ? <tr><td colSpan={5} className="muted">{t('bots.none')}</td></tr> : null}
              {bots.data.items.map((b) => <BotRow key={b.id} bot={b} flows={flows.data!.items} onChanged={bots.reload} />)}
            </tbody>
          </table>
        ) : null}
        <ConnectBot onConnected={() => { bots.reload(); flows.reload(); }} />
      </section>
      <section>
        <h2>{t('flows.list')}</h2>
        <ErrorNote error={flows.error} />
        {flows.data ? (
          <table className="table" aria-label={t('flows.list')}>
            <thead><tr><th>{t('flows.name')}</th><th>{t('flows.published')}</th><th>{t('flows.updated')}</th><th /></tr></thead>
            <tbody>
              {flows.data.items.length === 0 ? <tr><td colSpan={4} className="muted">{t('flows.none')}</td></tr> : null}
              {flows.data.items.map((f) => (
                <tr key={f.id}>
                  <td><Link to={`/flows/${f.id}`}>{f.name}</Link> <code className="muted small">{f.key}</code></td>
                  <td>{f.publishedVersion ? <span className="tag ok">v{f.publishedVersion}</span> : <span className="tag">{t('flows.draftOnly')}</span>}</td>
                  <td>{f.updatedAt ? new Date(f.updatedAt).toLocaleString(locale) : ''}</td>
                  <td><Link className="button secondary small" to={`/flows/${f.id}`}>{t('flows.open')}</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <NewFlow onCreated={(id) => navigate(`/flows/${id}`)} />
      </section>
    </div>
  );
}

function NewFlow({ onCreated }: { onCreated(id: string): void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const flow = await post<{ id: string }>('/flows', { name, key });
      onCreated(flow.id);
    } catch (err) { setError(err); }
  };
  return (
    <form className="card inline-card" onSubmit={submit} aria-labelledby="new-flow">
      <h3 id="new-flow">{t('flows.new')}</h3>
      <div className="row">
        <div className="field">
          <label htmlFor="flow-name">{t('flows.name')}</label>
          <input id="flow-name" required maxLength={200} value={name} onChange={(e) => { setName(e.target.value); if (!key || key === slug(name)) setKey(slug(e.target.value)); }} />
        </div>
        <div className="field">
          <label htmlFor="flow-key">{t('flows.key')}</label>
          <input id="flow-key" required pattern="[a-z0-9][a-z0-9-]{0,62}" value={key} onChange={(e) => setKey(e.target.value)} />
        </div>
        <button type="submit" className="primary">{t('flows.create')}</button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}

/** A flow key from its name: latin letters, digits and dashes (other scripts need a key typed by hand). */
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);

function StatusTag({ status }: { status: string }) {
  const { tx } = useI18n();
  return <span className={`tag ${status === 'active' ? 'ok' : status === 'error' ? 'bad' : ''}`}>{tx(`bots.state.${status}`, status)}</span>;
}

function BotRow({ bot, flows, onChanged }: { bot: Bot; flows: FlowSummary[]; onChanged(): void }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const flow = flows.find((f) => f.key === bot.flowKey) ?? flows.find((f) => f.botId === bot.id);
  const change = async (body: Record<string, unknown>) => {
    setError(null);
    try {
      await patch(`/bots/${bot.id}`, body);
      setEditing(false); setToken(''); onChanged();
    } catch (err) { setError(err); }
  };
  const save = (e: FormEvent) => { e.preventDefault(); void change({ token }); };
  return (
    <tr>
      <td>{bot.name}{bot.username ? <span className="muted small"> @{String(bot.username)}</span> : null}</td>
      <td>Telegram{bot.mode && bot.mode !== 'off' ? <span className="muted small"> · {String(bot.mode)}</span> : null}</td>
      <td>
        {/* One state: a switched-off bot is "off" whatever its channel last said; a switched-on one not yet running is starting. */}
        <label className="switch small">
          <input type="checkbox" role="switch" aria-label={t('bots.enabled')} checked={bot.enabled} onChange={(e) => change({ enabled: e.target.checked })} />
          <StatusTag status={!bot.enabled ? 'off' : bot.status === 'off' ? 'starting' : String(bot.status)} />
        </label>
      </td>
      <td>
        <label className="sr-only" htmlFor={`flow-${bot.id}`}>{t('bots.flow')}</label>
        <select id={`flow-${bot.id}`} value={bot.flowKey ?? ''} onChange={(e) => change({ flowKey: e.target.value })}>
          {bot.flowKey && !flow ? <option value={bot.flowKey}>{bot.flowKey}</option> : null}
          {flows.map((f) => <option key={f.id} value={f.key}>{f.name}</option>)}
        </select>
        {flow ? <Link className="small" to={`/flows/${flow.id}`}> {t('flows.open')}</Link> : null}
      </td>
      <td>
        {editing ? (
          <form onSubmit={save} className="inline-form">
            <label className="sr-only" htmlFor={`tok-${bot.id}`}>{t('bots.token')}</label>
            <input id={`tok-${bot.id}`} type="password" required value={token} onChange={(e) => setToken(e.target.value)} placeholder="123456:ABC…" />
            <button type="submit" className="primary small">{t('common.save')}</button>
            <button type="button" className="secondary small" onClick={() => setEditing(false)}>{t('common.cancel')}</button>
            <ErrorNote error={error} />
          </form>
        ) : <button type="button" className="secondary small" onClick={() => setEditing(true)}>{t('bots.changeToken')}</button>}
        {!editing ? <ErrorNote error={error} /> : null}
      </td>
    </tr>
  );
}

function ConnectBot({ onConnected }: { onConnected(): void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null); setFieldErrors({});
    try {
      await post('/bots', { name, token });
      setName(''); setToken(''); onConnected();
    } catch (err) {
      if (err instanceof ApiError) setFieldErrors(err.fieldErrors());
      setError(err);
    }
  };
  return (
    <form className="card inline-card" onSubmit={submit} aria-labelledby="connect-bot">
      <h3 id="connect-bot">{t('bots.connect')}</h3>
      <p className="muted small">{t('bots.connectHelp')}</p>
      <div className="row">
        <div className="field">
          <label htmlFor="bot-name">{t('bots.name')}</label>
          <input id="bot-name" required value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!fieldErrors['/name']} />
          {fieldErrors['/name'] ? <div className="field-error">{fieldErrors['/name']}</div> : null}
        </div>
        <div className="field">
          <label htmlFor="bot-token">{t('bots.token')}</label>
          <input id="bot-token" type="password" required value={token} onChange={(e) => setToken(e.target.value)} placeholder="123456:ABC…" aria-invalid={!!fieldErrors['/token']} />
          {fieldErrors['/token'] ? <div className="field-error">{fieldErrors['/token']}</div> : null}
        </div>
        <button type="submit" className="primary">{t('bots.connectSubmit')}</button>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}
