import { useI18n } from '../i18n/index.js';

/** A section whose capability is not installed yet. */
export function Placeholder({ section }: { section: string }) {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1>{t(`nav.${section}` as never)}</h1>
      <p className="muted">{t('placeholder.text')}</p>
    </div>
  );
}
