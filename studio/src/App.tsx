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
import { BookingsPage } from './admin/BookingsPage.js';
import { ClientsPage } from './admin/ClientsPage.js';
import { PluginsPage, PluginSettingsPage } from './admin/PluginsPage.js';
import { TenantSettingsPage } from './admin/TenantSettingsPage.js';
import { CatalogPage, ResourcesPage } from './admin/CatalogPages.js';
import { SchedulesPage } from './admin/SchedulesPage.js';
import { EventDeliveriesPage } from './admin/EventDeliveriesPage.js';
import { ChannelsPage } from './channels/ChannelsPage.js';
import { Placeholder } from './admin/Placeholder.js';
import { ErrorNote, Loading } from './ui/Status.js';

function Page({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'flows': return parts[1] ? <FlowEditorPage flowId={decodeURIComponent(parts[1])} /> : <FlowsPage />;
    case 'bookings': return <BookingsPage />;
    case 'clients': return <ClientsPage />;
    case 'catalog': return <CatalogPage />;
    case 'resources': return <ResourcesPage />;
    case 'schedules': return <SchedulesPage />;
    case 'plugins': return parts[1] ? <PluginSettingsPage pluginId={parts[1]} pageId={parts[2]} /> : <PluginsPage />;
    case 'settings': return <TenantSettingsPage />;
    case 'events': return <EventDeliveriesPage />;
    case 'channels': return <ChannelsPage />;
    case 'journal': case 'loyalty': case 'payments': case 'analytics': return <Placeholder section={parts[0]} />;
    default: return <Placeholder section="unknown" />;
  }
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
  useEffect(() => {
    if (!signedIn || !me || (path !== '/' && path !== '')) return;
    const role = me.businesses.find((b) => b.slug === session.tenant || b.id === session.tenant)?.role;
    navigate(role === 'specialist' ? '/bookings' : '/flows', true);
  }, [signedIn, me, path]);

  const invitation = /^\/invite\/([^/]+)$/.exec(path);
  if (invitation) return <AcceptInvitation token={decodeURIComponent(invitation[1])} onAccepted={() => { loadMe(); navigate('/', true); }} />;
  if (signedIn === false) return <Login onSignedIn={() => setSignedIn(null)} />;
  if (error) return <ErrorNote error={error} />;
  if (!me) return <Loading />;
  if (me.businesses.length === 0) return <p className="content">{t('nav.noBusiness')}</p>;
  const inEditor = /^\/flows\/[^/]+/.test(path);
  return (
    <Shell me={me} path={path} bare={inEditor} onSignOut={() => { setSignedIn(false); setMe(null); }} onBusinessChange={() => setGeneration((g) => g + 1)}>
      <Page key={`${generation}|${path}`} path={path} />
    </Shell>
  );
}
