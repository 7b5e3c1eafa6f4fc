import { useI18n } from '../i18n/index.js';

/** A section whose capability is not installed yet. */
export function Placeholder({ section }: { section: string }) {
  const { t, tx } = useI18n();
  return (
    <div className="page">
      <h1>{tx(`nav.${section}`, section)}</h1>
      <p className="muted">{t('placeholder.text')}</p>
    </div>
  );
}
