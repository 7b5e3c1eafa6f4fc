import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, post, session } from '../api.js';
import { useI18n } from '../i18n/index.js';
import type { MsgKey } from '../i18n/en.js';
import { ErrorNote, Loading } from '../ui/Status.js';

interface Offer { business: { name: string; slug: string }; email: string; role: string; expiresAt: string; accountExists: boolean }

/** The page an invitation link opens: a new account chooses its password, an existing one confirms it is theirs. */
export function AcceptInvitation({ token, onAccepted }: { token: string; onAccepted(): void }) {
  const { t } = useI18n();
  const [offer, setOffer] = useState<Offer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const path = `/invitations/${encodeURIComponent(token)}`;
  useEffect(() => { get<Offer>(path).then(setOffer, setLoadError); }, [path]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true); setError('');
    try {
      // The server signs us in with its session cookie; the token in the body is for API clients.
      const r = await post<{ tenant: { slug: string } }>(`${path}/accept`, { password, ...(offer?.accountExists ? {} : { name }) });
      session.setTenant(r.tenant.slug);
      onAccepted();
    } catch (err) {
      // Signed in here as someone else: sign that account out and accept with the password instead.
      if (err instanceof ApiError && err.code === 'BF_ERR_INVITATION_WRONG_ACCOUNT') await post('/auth/logout').catch(() => {});
      setError(err instanceof Error ? err.message : String(err));
    } finally { setBusy(false); }
  };

  if (loadError) return <main className="login"><div className="card"><ErrorNote error={loadError} /></div></main>;
  if (!offer) return <Loading />;
  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-labelledby="invite-title">
        <h1 id="invite-title">{t('invite.title', { business: offer.business.name })}</h1>
        <p className="muted">{t('invite.offer', { email: offer.email, role: t(`invite.role.${offer.role}` as MsgKey) })}</p>
        {offer.accountExists ? null : (
          <div className="field">
            <label htmlFor="invite-name">{t('invite.name')}</label>
            <input id="invite-name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
        )}
        <div className="field">
          <label htmlFor="invite-password">{t(offer.accountExists ? 'invite.currentPassword' : 'invite.newPassword')}</label>
          <input id="invite-password" type="password" required minLength={offer.accountExists ? 1 : 10}
            autoComplete={offer.accountExists ? 'current-password' : 'new-password'} value={password} onChange={(e) => setPassword(e.target.value)} />
          {offer.accountExists ? null : <p className="muted">{t('invite.passwordRules')}</p>}
        </div>
        {error ? <div className="error-note" role="alert">{error}</div> : null}
        <button type="submit" className="primary" disabled={busy}>{t('invite.accept')}</button>
      </form>
    </main>
  );
}
