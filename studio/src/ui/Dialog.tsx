import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';

/** A modal on the native <dialog>: focus is trapped, Escape closes it. */
export function Dialog({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // Start at the first field rather than at the close button.
    d?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} onCancel={(e) => { e.preventDefault(); onClose(); }} aria-label={title}>
      <header className="dialog-head">
        <h2>{title}</h2>
        <button type="button" className="icon" onClick={onClose} aria-label={t('common.close')}>✕</button>
      </header>
      {children}
    </dialog>
  );
}
