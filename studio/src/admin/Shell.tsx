import { useEffect, useState, type ReactNode } from 'react';
import { post, session } from '../api.js';
import { forgetOptions } from '../forms/useOptions.js';
import { LOCALES, useI18n } from '../i18n/index.js';
import { Link, navigate } from '../router.js';
import type { Locale, Me } from '../types.js';
import { Zone } from '../plugins/Zone.js';
import { useNav } from './useNav.js';

/** Where the navigation is a drawer over the page, closed until asked for (phones); the same width as phone.css. */
const PHONE = '(max-width: 760px)';
const isPhone = () => window.matchMedia(PHONE).matches;

/** Header (business, language, account, sign out) and the section navigation around every admin page. */
export function Shell({ me, path, children, onSignOut, onBusinessChange, bare }: { me: Me; path: string; children: ReactNode; onSignOut(): void; onBusinessChange(): void; bare?: boolean }) {
  const { t, locale, setLocale } = useI18n();
  const [navOpen, setNavOpen] = useState(() => !isPhone());
  const current = me.businesses.find((b) => b.slug === session.tenant || b.id === session.tenant) ?? me.businesses[0];
  // On a phone the drawer covers the page: going somewhere closes it.
  useEffect(() => { if (isPhone()) setNavOpen(false); }, [path]);
  // A window narrowed to a phone's width (or a tablet turned) gets the phone's closed drawer, and back.
  useEffect(() => {
    const query = window.matchMedia(PHONE);
    const follow = () => setNavOpen(!query.matches);
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  const signOut = async () => {
    await post('/auth/logout').catch(() => {});
    onSignOut();
  };
  const switchBusiness = (slug: string) => {
    session.setTenant(slug);
    forgetOptions();
    onBusinessChange();
    navigate('/');
  };
  const showNav = navOpen && !bare;
  const nav = useNav();
  return (
    <div className={`shell${showNav ? '' : ' no-nav'}`}>
      <header className="topbar">
        <button type="button" className="icon" onClick={() => setNavOpen((o) => !o)} aria-label={t('nav.toggle')} aria-expanded={showNav} aria-controls="sidenav" disabled={bare}>☰</button>
        <Link to="/flows" className="brand">Bookflow</Link>
        <label className="sr-only" htmlFor="business-select">{t('nav.business')}</label>
        <select id="business-select" value={current?.slug ?? ''} onChange={(e) => switchBusiness(e.target.value)}>
          {me.businesses.map((b) => <option key={b.id} value={b.slug}>{b.name}</option>)}
        </select>
        <span className="spacer" />
        <label className="sr-only" htmlFor="lang-select">{t('common.language')}</label>
        <select id="lang-select" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
          {LOCALES.map((l) => <option key={l} value={l}>{t(`lang.${l}`)}</option>)}
        </select>
        <Link to="/account" className="muted small user-email" title={t('nav.account')}>{me.user.email}</Link>
        <button type="button" className="secondary small" onClick={signOut}>{t('nav.signOut')}</button>
      </header>
      {showNav ? (
        <nav id="sidenav" className="sidenav" aria-label={t('nav.main')} onKeyDown={(e) => { if (e.key === 'Escape' && isPhone()) setNavOpen(false); }}>
          {(['work', 'setup'] as const).map((g) => (
            <div key={g}>
              <h2>{t(`nav.group.${g}`)}</h2>
              <ul>
                {nav.filter((n) => n.group === g).map((n) => (
                  <li key={n.path}><Link to={n.path} aria-current={path === n.path || path.startsWith(n.path + '/') ? 'page' : undefined}>{n.icon ? <span aria-hidden>{n.icon} </span> : null}{n.label}</Link></li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
      ) : null}
      {showNav ? <button type="button" className="nav-scrim" aria-label={t('nav.close')} tabIndex={-1} onClick={() => setNavOpen(false)} /> : null}
      <main className={bare ? 'content bare' : 'content'}>{children}</main>
      {/* Plugins' popups over any page (telephony's ringing call) */}
      <Zone name="app.overlay" props={{}} />
    </div>
  );
}
