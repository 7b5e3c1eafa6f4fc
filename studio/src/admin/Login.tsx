import { useState, type FormEvent } from 'react';
import { ApiError, post } from '../api.js';
import { LOCALES, useI18n } from '../i18n/index.js';
import type { Locale } from '../types.js';

export function Login({ onSignedIn }: { onSignedIn(): void }) {
  const { t, locale, setLocale } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError('');
    try {
      // The server sets the session cookie; the token in the body is for API clients.
      await post('/auth/login', { email, password });
      onSignedIn();
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'BF_ERR_AUTH_INVALID_CREDENTIALS' ? t('login.invalid') : err instanceof Error ? err.message : String(err));
    } finally { setBusy(false); }
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-labelledby="login-title">
        <h1 id="login-title">Bookflow</h1>
        <p className="muted">{t('login.subtitle')}</p>
        <div className="field">
          <label htmlFor="login-email">{t('login.email')}</label>
          <input id="login-email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('login.password')}</label>
          <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        {error ? <div className="error-note" role="alert">{error}</div> : null}
        <button type="submit" className="primary" disabled={busy}>{t('login.submit')}</button>
        <div className="field">
          <label htmlFor="login-lang">{t('common.language')}</label>
          <select id="login-lang" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            {LOCALES.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
          </select>
        </div>
      </form>
    </main>
  );
}
