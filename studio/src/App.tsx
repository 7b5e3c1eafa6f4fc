import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Route, Routes, useParams } from 'react-router';
import { ApiError, get, session } from './api.js';
import { useI18n } from './i18n/index.js';
import { navigate, usePath } from './router.js';
import { queryClient } from './query.js';
import type { Me } from './types.js';
import { Login } from './admin/Login.js';
import { AcceptInvitation } from './admin/AcceptInvitation.js';
import { Shell } from './admin/Shell.js';
import { FlowsPage } from './admin/FlowsPage.js';
import { FlowEditorPage } from './flow/FlowEditor.js';
import { ContactsPage } from './contacts/ContactsPage.js';
import { ContactCard } from './contacts/ContactCard.js';
import { SegmentsPage } from './segments/SegmentsPage.js';
import { SegmentEditor } from './segments/SegmentEditor.js';
import { PluginsPage, PluginSettingsPage } from './admin/PluginsPage.js';
import { TenantSettingsPage } from './admin/TenantSettingsPage.js';
import { EventDeliveriesPage } from './admin/EventDeliveriesPage.js';
import { ChannelsPage } from './channels/ChannelsPage.js';
import { TeamPage } from './team/TeamPage.js';
import { AccountPage } from './team/AccountPage.js';
import { TasksPage } from './tasks/TasksPage.js';
import { useNav } from './admin/useNav.js';
import { BusinessContext } from './business.js';
import { PluginsProvider, usePlugins } from './plugins/PluginsContext.js';
import { pageAt } from './plugins/views.js';
import { ErrorNote, Loading } from './ui/Status.js';

/** A page for one id of the path (`:id`), mounted afresh for each id so no state leaks from the last one. */
function ById({ page }: { page(id: string, rest?: string): ReactNode }) {
  const { id, rest } = useParams();
  return <Fragment key={id}>{page(id!, rest)}</Fragment>;
}

/** /<plugin>/<page>…: a page of a plugin enabled for the business that this member may open. */
function PluginPage() {
  const { t } = useI18n();
  const path = usePath();
  const { pages, loaded, error } = usePlugins();
  const found = pageAt(pages, path);
  if (found) return <found.page.component subpath={found.subpath} />;
  if (error) return <ErrorNote error={error} />;
  if (!loaded) return <Loading />;
  return <div className="page"><h1>{t('nav.unknown')}</h1></div>;
}

/** The start page: the flows for those who edit them, otherwise the first section this member sees. */
function Landing() {
  const { t } = useI18n();
  const nav = useNav();
  const { loaded } = usePlugins();
  const first = nav.find((n) => n.path === '/flows') ?? nav.find((n) => n.group === 'work') ?? nav[0];
  useEffect(() => { if (loaded && first) navigate(first.path, true); }, [loaded, first?.path]);
  return loaded && !first ? <p className="content">{t('nav.nothing')}</p> : <Loading />;
}

function Pages({ me, onSignedOut }: { me: Me; onSignedOut(): void }) {
  return (
    <Routes>
      <Route index element={<Landing />} />
      <Route path="flows" element={<FlowsPage />} />
      <Route path="flows/:id" element={<ById page={(id) => <FlowEditorPage flowId={id} />} />} />
      <Route path="contacts" element={<ContactsPage />} />
      <Route path="contacts/:id" element={<ById page={(id) => <ContactCard contactId={id} />} />} />
      <Route path="segments" element={<SegmentsPage />} />
      <Route path="segments/:id" element={<ById page={(id) => <SegmentEditor segmentId={id} />} />} />
      <Route path="plugins" element={<PluginsPage />} />
      <Route path="plugins/:id/:rest?" element={<ById page={(id, rest) => <PluginSettingsPage pluginId={id} pageId={rest} />} />} />
      <Route path="settings" element={<TenantSettingsPage />} />
      <Route path="events" element={<EventDeliveriesPage />} />
      <Route path="channels" element={<ChannelsPage />} />
      <Route path="tasks" element={<TasksPage />} />
      <Route path="team" element={<TeamPage />} />
      <Route path="account" element={<AccountPage email={me.user.email} onSignedOut={onSignedOut} />} />
      <Route path="*" element={<PluginPage />} />
    </Routes>
  );
}

const ME = ['me'];

/** Who is signed in: GET /auth/me, which also picks the business and adopts the person's language. */
function useMe(adoptLocale: (l: Me['user']['locale']) => void) {
  return useQuery({
    queryKey: ME, staleTime: Infinity, refetchOnWindowFocus: false, retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
    queryFn: async () => {
      const m = await get<Me>('/auth/me');
      if (!m.businesses.some((b) => b.slug === session.tenant || b.id === session.tenant) && m.businesses[0]) session.setTenant(m.businesses[0].slug);
      adoptLocale(m.user.locale);
      return m;
    },
  });
}

/** Forgets everything cached for the last person and asks who is signed in now. */
function startOver(): void {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  void queryClient.resetQueries({ queryKey: ME });
}

export function App() {
  const path = usePath();
  const { t, adoptLocale } = useI18n();
  const me = useMe(adoptLocale);
  const [generation, setGeneration] = useState(0);
  // The sign-in cookie is httpOnly: only the server knows it, and any 401 says it is gone.
  useEffect(() => session.onUnauthorized(() => { if (queryClient.getQueryData(ME)) startOver(); }), []);

  const invitation = /^\/invite\/([^/]+)$/.exec(path);
  if (invitation) return <AcceptInvitation token={decodeURIComponent(invitation[1])} onAccepted={() => { startOver(); navigate('/', true); }} />;
  if (me.error instanceof ApiError && me.error.status === 401) return <Login onSignedIn={startOver} />;
  if (me.error) return <ErrorNote error={me.error} />;
  if (!me.data) return <Loading />;
  const m = me.data;
  if (m.businesses.length === 0) return <p className="content">{t('nav.noBusiness')}</p>;
  const inEditor = /^\/flows\/[^/]+/.test(path);
  const business = m.businesses.find((b) => b.slug === session.tenant || b.id === session.tenant) ?? m.businesses[0];
  return (
    <BusinessContext.Provider value={business}>
      <PluginsProvider key={`${generation}|${business.id}`}>
        <Shell me={m} path={path} bare={inEditor} onSignOut={startOver} onBusinessChange={() => setGeneration((g) => g + 1)}>
          <Pages key={generation} me={m} onSignedOut={startOver} />
        </Shell>
      </PluginsProvider>
    </BusinessContext.Provider>
  );
}
