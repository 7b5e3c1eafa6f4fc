import { useState, type FormEvent } from 'react';
import { post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import { useApiMutation } from '../query.js';
import { ErrorNote } from '../ui/Status.js';

/** The signed-in person's own account: their password and their sessions on every device. */
export function AccountPage({ email, onSignedOut }: { email: string; onSignedOut(): void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ currentPassword: '', newPassword: '', repeat: '' });
  const [mismatch, setMismatch] = useState(false);
  const change = useApiMutation<{ currentPassword: string; newPassword: string }, { otherSessionsEnded: number }>({ request: (v) => post('/auth/password', v) });
  const logoutAll = useApiMutation<void>({ request: () => post('/auth/logout-all') });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(form.newPassword !== form.repeat);
    if (form.newPassword !== form.repeat) return;
    change.mutate({ currentPassword: form.currentPassword, newPassword: form.newPassword }, { onSuccess: () => setForm({ currentPassword: '', newPassword: '', repeat: '' }) });
  };
  const field = (key: keyof typeof form, label: string, autoComplete: string) => (
    <div className="field"><label htmlFor={`account-${key}`}>{label}</label>
      <input id={`account-${key}`} type="password" required autoComplete={autoComplete} minLength={key === 'currentPassword' ? 1 : 10}
        value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} /></div>
  );
  return (
    <div className="page narrow">
      <h1>{t('account.title')}</h1>
      <p className="muted">{email}</p>
      <section aria-labelledby="account-password">
        <h2 id="account-password">{t('account.password')}</h2>
        {/* The email lets a password manager file the new password under the right account. */}
        <form onSubmit={submit}>
          <input type="email" autoComplete="username" value={email} readOnly hidden />
          {field('currentPassword', t('account.current'), 'current-password')}
          {field('newPassword', t('account.new'), 'new-password')}
          {field('repeat', t('account.repeat'), 'new-password')}
          <p className="muted small">{t('invite.passwordRules')}</p>
          {mismatch ? <div className="error-note" role="alert">{t('account.mismatch')}</div> : null}
          <ErrorNote error={change.error} />
          {change.data ? <div className="note" role="status">{t('account.changed', { count: change.data.otherSessionsEnded })}</div> : null}
          <div className="form-actions"><button type="submit" className="primary" disabled={change.isPending}>{t('account.change')}</button></div>
        </form>
      </section>
      <section aria-labelledby="account-sessions">
        <h2 id="account-sessions">{t('account.sessions')}</h2>
        <p className="muted">{t('account.sessionsHelp')}</p>
        <ErrorNote error={logoutAll.error} />
        <button type="button" className="danger" disabled={logoutAll.isPending} onClick={() => logoutAll.mutate(undefined, { onSuccess: onSignedOut })}>{t('account.logoutAll')}</button>
      </section>
    </div>
  );
}
