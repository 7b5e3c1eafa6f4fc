import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, patch } from '../api.js';
import { SchemaForm } from '../forms/SchemaForm.js';
import { useI18n } from '../i18n/index.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { useApi } from '../query.js';
import { Zone } from '../plugins/Zone.js';
import type { JsonSchema } from '../types.js';

/** The business's name, time zone, language, currency and country (how its clients write phones). */
export function TenantSettingsPage() {
  const { t } = useI18n();
  const tenant = useApi<Record<string, unknown>>('/tenant');
  const [draft, setDraft] = useState<Record<string, unknown> | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const schema = useMemo<JsonSchema>(() => ({
    type: 'object',
    required: ['name', 'timezone', 'locale', 'currency', 'country'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 200, title: t('settings.name') },
      timezone: { type: 'string', title: t('settings.timezone'), 'x-ui': { widget: 'timezone' } },
      locale: { enum: ['ru', 'en', 'uk'], title: t('settings.locale'), 'x-ui': { enumLabels: { ru: t('lang.ru'), en: t('lang.en'), uk: t('lang.uk') } } },
      currency: { type: 'string', pattern: '^[A-Z]{3}$', maxLength: 3, title: t('settings.currency'), 'x-ui': { widget: 'currency' } },
      country: { type: 'string', pattern: '^[A-Z]{2}$', maxLength: 2, title: t('settings.country') },
    },
  }), [t]);
  if (tenant.error) return <ErrorNote error={tenant.error} />;
  if (!tenant.data) return <Loading />;
  const value = draft ?? tenant.data;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setErrors({}); setError(null); setSaved(false);
    try {
      const { name, timezone, locale, currency, country } = value;
      setDraft(await patch('/tenant', { name, timezone, locale, currency, country }));
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(err);
    }
  };
  return (
    <div className="page narrow">
      <h1>{t('nav.settings')}</h1>
      <form onSubmit={submit}>
        <SchemaForm schema={schema} value={value} onChange={(v) => { setSaved(false); setDraft(v); }} errors={errors} />
        <ErrorNote error={error} />
        {saved ? <div className="ok-note" role="status">{t('common.saved')}</div> : null}
        <div className="form-actions"><button type="submit" className="primary">{t('common.save')}</button></div>
      </form>
      <Zone name="settings" props={{}} />
    </div>
  );
}
