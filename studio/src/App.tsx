import { useCallback, useEffect, useState } from 'react';
import { ApiError, get, session } from './api.js';
import { useI18n } from './i18n/index.js';
import { navigate, usePath } from './router.js';
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
import { TasksPage } from './tasks/TasksPage.js';
import { useNav } from './admin/useNav.js';
import { BusinessContext } from './business.js';
import { PluginsProvider, usePlugins } from './plugins/PluginsContext.js';
import { pageAt } from './plugins/views.js';
import { ErrorNote, Loading } from './ui/Status.js';

function Page({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'flows': return parts[1] ? <FlowEditorPage flowId={decodeURIComponent(parts[1])} /> : <FlowsPage />;
    case 'contacts': return parts[1] ? <ContactCard contactId={decodeURIComponent(parts[1])} /> : <ContactsPage />;
    case 'segments': return parts[1] ? <SegmentEditor segmentId={decodeURIComponent(parts[1])} /> : <SegmentsPage />;
    case 'plugins': return parts[1] ? <PluginSettingsPage pluginId={parts[1]} pageId={parts[2]} /> : <PluginsPage />;
    case 'settings': return <TenantSettingsPage />;
    case 'events': return <EventDeliveriesPage />;
    case 'channels': return <ChannelsPage />;
    case 'tasks': return <TasksPage />;
    default: return <PluginPage path={path} />;
  }
}

/** /<plugin>/<page>…: a page of a plugin enabled for the business that this member may open. */
function PluginPage({ path }: { path: string }) {
  const { t } = useI18n();
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

export function App() {
  const path = usePath();
  const { t, adoptLocale } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Unknown until GET /auth/me answers: the sign-in cookie is httpOnly, only the server knows it.
  const [signedIn, setSignedIn] = useState<boolean | null>(null);
  const [generation, setGeneration] = useState(0);

  const loadMe = useCallback(() => {
    setError(null);
    get<Me>('/auth/me').then((m) => {
      if (!m.businesses.some((b) => b.slug === session.tenant || b.id === session.tenant) && m.businesses[0]) session.setTenant(m.businesses[0].slug);
      adoptLocale(m.user.locale);
      setMe(m);
      setSignedIn(true);
    }, (e) => {
      if (e instanceof ApiError && e.status === 401) setSignedIn(false); else setError(e);
    });
  }, []);

  useEffect(() => session.onUnauthorized(() => { setSignedIn(false); setMe(null); }), []);
  useEffect(() => { if (signedIn === null) loadMe(); }, [signedIn, loadMe]);

  const invitation = /^\/invite\/([^/]+)$/.exec(path);
  if (invitation) return <AcceptInvitation token={decodeURIComponent(invitation[1])} onAccepted={() => { loadMe(); navigate('/', true); }} />;
  if (signedIn === false) return <Login onSignedIn={() => setSignedIn(null)} />;
  if (error) return <ErrorNote error={error} />;
  if (!me) return <Loading />;
  if (me.businesses.length === 0) return <p className="content">{t('nav.noBusiness')}</p>;
  const inEditor = /^\/flows\/[^/]+/.test(path);
  const business = me.businesses.find((b) => b.slug === session.tenant || b.id === session.tenant) ?? me.businesses[0];
  return (
    <BusinessContext.Provider value={business}>
      <PluginsProvider key={`${generation}|${business.id}`}>
        <Shell me={me} path={path} bare={inEditor} onSignOut={() => { setSignedIn(false); setMe(null); }} onBusinessChange={() => setGeneration((g) => g + 1)}>
          {path === '/' || path === '' ? <Landing /> : <Page key={`${generation}|${path}`} path={path} />}
        </Shell>
      </PluginsProvider>
    </BusinessContext.Provider>
  );
}
