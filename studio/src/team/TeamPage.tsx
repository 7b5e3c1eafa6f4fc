import { useState } from 'react';
import { del, patch } from '../api.js';
import { useBusiness } from '../business.js';
import { useI18n } from '../i18n/index.js';
import type { MsgKey } from '../i18n/en.js';
import { usePlugins } from '../plugins/PluginsContext.js';
import { useApi, useApiMutation } from '../query.js';
import { Dialog } from '../ui/Dialog.js';
import { ErrorNote, Loading } from '../ui/Status.js';
import { InviteForm, PendingInvitations } from './Invitations.js';
import { StaffLink } from './StaffLink.js';
import { ROLES, type Member, type Role, type StaffColumn } from './types.js';

/** The team: members with their roles and journal columns, invitations by email, removal. */
export function TeamPage() {
  const { t } = useI18n();
  const { role: myRole } = useBusiness();
  const { plugins } = usePlugins();
  const members = useApi<{ items: Member[] }>('/members');
  const booking = plugins.some((p) => p.id === 'booking' && p.enabled);
  const columns = useApi<{ items: StaffColumn[] }>(booking ? '/booking/resources' : null);
  const staff = (columns.data?.items ?? []).filter((c) => c.kind === 'staff');
  const [removing, setRemoving] = useState<Member | null>(null);
  const changeRole = useApiMutation<{ id: string; role: Role }>({
    request: (v) => patch(`/members/${v.id}`, { role: v.role }),
    optimistic: { path: '/members', update: (cur: { items: Member[] }, v) => ({ items: cur.items.map((m) => (m.id === v.id ? { ...m, role: v.role } : m)) }) },
  });
  // Owners are made by owners: an administrator is not offered the role.
  const roles = ROLES.filter((r) => r !== 'owner' || myRole === 'owner');
  const roleName = (r: Role) => t(`invite.role.${r}` as MsgKey);

  return (
    <div className="page">
      <h1>{t('nav.team')}</h1>
      <section aria-labelledby="team-members">
        <h2 id="team-members">{t('team.members')}</h2>
        <ErrorNote error={members.error ?? changeRole.error} />
        {members.loading ? <Loading /> : (
          <div className="table-scroll">
            <table className="table">
              <thead><tr><th>{t('team.email')}</th><th>{t('team.name')}</th><th>{t('team.role')}</th>{booking ? <th title={t('team.staffHelp')}>{t('team.staff')}</th> : null}<th /></tr></thead>
              <tbody>
                {(members.data?.items ?? []).map((m) => (
                  <tr key={m.id}>
                    <td>{m.email}</td>
                    <td>{m.name}</td>
                    <td>
                      <label className="sr-only" htmlFor={`role-${m.id}`}>{`${t('team.role')}: ${m.email}`}</label>
                      <select id={`role-${m.id}`} value={m.role} disabled={m.role === 'owner' && myRole !== 'owner'} onChange={(e) => changeRole.mutate({ id: m.id, role: e.target.value as Role })}>
                        {(m.role === 'owner' && myRole !== 'owner' ? ROLES : roles).map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
                      </select>
                    </td>
                    {booking ? <td><StaffLink userId={m.id} email={m.email} columns={staff} /></td> : null}
                    <td className="row-actions">{myRole === 'owner' ? <button type="button" className="secondary small" onClick={() => setRemoving(m)}>{t('team.remove')}</button> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {booking ? <p className="muted small">{t('team.staffHelp')}</p> : null}
      </section>
      <InviteForm roles={roles} />
      <PendingInvitations />
      {removing ? <RemoveMember member={removing} onClose={() => setRemoving(null)} /> : null}
    </div>
  );
}

function RemoveMember({ member, onClose }: { member: Member; onClose(): void }) {
  const { t } = useI18n();
  const remove = useApiMutation<string>({
    request: (id) => del(`/members/${id}`),
    optimistic: { path: '/members', update: (cur: { items: Member[] }, id) => ({ items: cur.items.filter((m) => m.id !== id) }) },
  });
  return (
    <Dialog title={t('team.remove')} onClose={onClose}>
      <p>{t('team.removeConfirm', { email: member.email })}</p>
      <ErrorNote error={remove.error} />
      <div className="form-actions">
        <button type="button" className="secondary" onClick={onClose}>{t('common.cancel')}</button>
        <button type="button" className="danger" autoFocus disabled={remove.isPending} onClick={() => remove.mutate(member.id, { onSuccess: onClose })}>{t('team.remove')}</button>
      </div>
    </Dialog>
  );
}
