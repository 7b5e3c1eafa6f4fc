import { useState, type FormEvent } from 'react';
import { del, post } from '../api.js';
import { useI18n } from '../i18n/index.js';
import type { MsgKey } from '../i18n/en.js';
import { useApi, useApiMutation } from '../query.js';
import { ErrorNote } from '../ui/Status.js';
import type { Invitation, Role } from './types.js';
import { useBusinessTime } from './useBusinessTime.js';

const PATH = '/members/invitations';

/** Invites by email (the security issue's invitation flow): the answer carries the link, to pass on until mail sends it. */
export function InviteForm({ roles }: { roles: Role[] }) {
  const { t } = useI18n();
  const formatDate = useBusinessTime();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('manager');
  const [copied, setCopied] = useState(false);
  const invite = useApiMutation<{ email: string; role: Role }, Invitation & { link: string }>({ request: (v) => post(PATH, v), invalidates: [PATH] });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCopied(false);
    invite.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
  };
  const sent = invite.data;
  return (
    <section aria-labelledby="team-invite">
      <h2 id="team-invite">{t('team.invite')}</h2>
      <form className="inline-form" onSubmit={submit}>
        <div className="field"><label htmlFor="invite-email">{t('team.email')}</label>
          <input id="invite-email" type="email" required autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} /></div>
        <div className="field"><label htmlFor="invite-role">{t('team.role')}</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => <option key={r} value={r}>{t(`invite.role.${r}` as MsgKey)}</option>)}
          </select></div>
        <button type="submit" className="primary" disabled={invite.isPending}>{t('team.invite.submit')}</button>
      </form>
      <ErrorNote error={invite.error} />
      {sent ? (
        <div className="note" role="status">
          <p>{t('team.invite.link', { email: sent.email, until: formatDate(sent.expiresAt) })}</p>
          <p className="invite-link"><code data-testid="invite-link">{sent.link}</code>{' '}
            <button type="button" className="secondary small" onClick={() => navigator.clipboard?.writeText(sent.link).then(() => setCopied(true), () => {})}>{copied ? t('team.invite.copied') : t('team.invite.copy')}</button></p>
        </div>
      ) : null}
    </section>
  );
}

export function PendingInvitations() {
  const { t } = useI18n();
  const formatDate = useBusinessTime();
  const list = useApi<{ items: Invitation[] }>(PATH);
  const withdraw = useApiMutation<string>({
    request: (id) => del(`${PATH}/${id}`),
    optimistic: { path: PATH, update: (cur: { items: Invitation[] }, id) => ({ items: cur.items.filter((i) => i.id !== id) }) },
  });
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="team-pending">
      <h2 id="team-pending">{t('team.pending')}</h2>
      <ErrorNote error={list.error ?? withdraw.error} />
      {items.length === 0 ? <p className="muted">{t('team.pending.none')}</p> : (
        <ul className="plain-list">
          {items.map((i) => (
            <li key={i.id}>
              {i.email} · {t(`invite.role.${i.role}` as MsgKey)} · <span className="muted">{i.expired ? t('team.pending.expired') : t('team.pending.expires', { until: formatDate(i.expiresAt) })}</span>{' '}
              <button type="button" className="secondary small" onClick={() => withdraw.mutate(i.id)}>{t('team.withdraw')}</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
