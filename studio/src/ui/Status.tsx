import { useI18n } from '../i18n/index.js';
import { ApiError } from '../api.js';

/** An API failure as the owner reads it: the message, and the code for support. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const msg = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : '';
  const missing = error instanceof ApiError && error.status === 404 && code === 'BF_ERR_HTTP_NOT_FOUND';
  return <div className="error-note" role="alert">{missing ? t('common.notAvailable') : msg}{code ? <small> ({code})</small> : null}</div>;
}

export function Loading() {
  const { t } = useI18n();
  return <div className="loading" aria-busy="true">{t('common.loading')}</div>;
}
