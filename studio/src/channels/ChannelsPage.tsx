import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, api, get, post, put } from '../api.js';
import { SchemaForm } from '../forms/SchemaForm.js';
import { useI18n } from '../i18n/index.js';
import type { MsgKey } from '../i18n/en.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi } from '../query.js';
import type { JsonSchema } from '../types.js';

type Kind = 'email' | 'sms';
type Settings = Record<string, unknown>;
interface View { configured: boolean; settings: Settings | null }

const DEFAULTS: Record<Kind, Settings> = {
  email: { security: 'starttls', port: 587 },
  sms: { provider: 'smsru', maxSegments: 3, test: false },
};

/** An emptied optional text field means "none", which the API takes as null (an empty string is refused). */
const clean = (v: Settings) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === '' ? null : x]));

function useSchemas(): Record<Kind, JsonSchema> {
  const { t } = useI18n();
  return useMemo(() => ({
    email: {
      type: 'object',
      required: ['host', 'port', 'security', 'fromAddress'],
      properties: {
        host: { type: 'string', maxLength: 253, title: t('channels.email.host') },
        port: { type: 'integer', minimum: 1, maximum: 65535, title: t('channels.email.port') },
        security: { enum: ['starttls', 'tls', 'none'], title: t('channels.email.security'), 'x-ui': { enumLabels: { starttls: t('channels.email.security.starttls'), tls: t('channels.email.security.tls'), none: t('channels.email.security.none') } } },
        user: { type: 'string', maxLength: 320, title: t('channels.email.user') },
        password: { type: 'string', 'x-secret': true, title: t('channels.email.password') },
        fromAddress: { type: 'string', format: 'email', maxLength: 320, title: t('channels.email.fromAddress') },
        fromName: { type: 'string', maxLength: 100, title: t('channels.email.fromName') },
      },
    },
    sms: {
      type: 'object',
      required: ['provider'],
      properties: {
        provider: { enum: ['smsru'], title: t('channels.sms.provider'), 'x-ui': { enumLabels: { smsru: 'SMS.ru' } } },
        apiId: { type: 'string', 'x-secret': true, title: t('channels.sms.apiId') },
        login: { type: 'string', maxLength: 100, title: t('channels.sms.login') },
        password: { type: 'string', 'x-secret': true, title: t('channels.sms.password') },
        sender: { type: 'string', maxLength: 11, title: t('channels.sms.sender') },
        maxSegments: { type: 'integer', minimum: 1, maximum: 8, title: t('channels.sms.maxSegments') },
        test: { type: 'boolean', title: t('channels.sms.test') },
      },
    },
  }), [t]);
}

/** One channel's settings (secrets write-only), switching it off, and a test send to a typed address. */
function ChannelForm({ kind, schema }: { kind: Kind; schema: JsonSchema }) {
  const { t } = useI18n();
  const loaded = useApi<View>(`/channels/${kind}`);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [to, setTo] = useState('');
  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  const configured = loaded.data.configured;
  const value = draft ?? loaded.data.settings ?? DEFAULTS[kind];
  const run = async (fn: () => Promise<string>) => {
    setErrors({}); setError(null); setNote('');
    try {
      setNote(await fn());
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(err);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const saved = await put<View>(`/channels/${kind}`, clean(value));
      setDraft(saved.settings);
      loaded.reload();
      return t('common.saved');
    });
  };
  const turnOff = () => run(async () => {
    await api('DELETE', `/channels/${kind}`);
    setDraft(null);
    loaded.reload();
    return t('channels.off');
  });
  const test = () => run(async () => {
    await post(`/channels/${kind}/test`, { to: to.trim() });
    return t('channels.test.sent', { to: to.trim() });
  });
  const balance = () => run(async () => t('channels.sms.balanceIs', { balance: (await get<{ balance: string }>('/channels/sms/balance')).balance }));
  return (
    <section className="card" aria-labelledby={`channel-${kind}`}>
      <h2 id={`channel-${kind}`}>{t(`channels.${kind}.title` as MsgKey)} <small className="muted">{configured ? t('channels.on') : t('channels.notSetUp')}</small></h2>
      <p className="muted">{t(`channels.${kind}.intro` as MsgKey)}</p>
      <form onSubmit={save}>
        <SchemaForm schema={schema} value={value} onChange={(v) => { setNote(''); setDraft(v as Settings); }} errors={errors} />
        <div className="form-actions">
          <button type="submit" className="primary">{t('common.save')}</button>
          {configured ? <button type="button" className="secondary" onClick={turnOff}>{t('channels.turnOff')}</button> : null}
          {configured && kind === 'sms' ? <button type="button" className="secondary" onClick={balance}>{t('channels.sms.balance')}</button> : null}
        </div>
      </form>
      {configured ? (
        <div className="form-actions">
          <label className="sr-only" htmlFor={`test-${kind}`}>{t(`channels.test.${kind}` as MsgKey)}</label>
          <input id={`test-${kind}`} type={kind === 'email' ? 'email' : 'tel'} value={to} placeholder={t(`channels.test.${kind}` as MsgKey)} onChange={(e) => setTo(e.target.value)} />
          <button type="button" className="secondary" style={{ whiteSpace: 'nowrap' }} disabled={!to.trim()} onClick={test}>{t('channels.test.send')}</button>
        </div>
      ) : null}
      <ErrorNote error={error} />
      {note ? <div className="ok-note" role="status">{note}</div> : null}
    </section>
  );
}

/** Settings → Channels: how the business reaches clients outside the chats (email, SMS). */
export function ChannelsPage() {
  const { t } = useI18n();
  const schemas = useSchemas();
  return (
    <div className="page narrow">
      <h1>{t('nav.channels')}</h1>
      <ChannelForm kind="email" schema={schemas.email} />
      <ChannelForm kind="sms" schema={schemas.sms} />
    </div>
  );
}
