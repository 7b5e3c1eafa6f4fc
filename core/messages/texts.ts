import type { Locale, LocalizedText } from '../../plugin-sdk.js';
import { pick, render } from '../flow/template.js';

/** What the message outbox itself says to clients (the unsubscribe button and its answers). */
export const MESSAGE_TEXTS = {
  unsubscribe: { en: 'Unsubscribe', ru: 'Отписаться', uk: 'Відписатися' },
  unsubscribed: { en: 'You will no longer receive promotional messages.', ru: 'Вы больше не будете получать рекламные сообщения.', uk: 'Ви більше не отримуватимете рекламних повідомлень.' },
  actionUnavailable: { en: 'This choice is not available right now.', ru: 'Этот вариант сейчас недоступен.', uk: 'Цей варіант зараз недоступний.' },
} satisfies Record<string, LocalizedText>;

export function messageText(key: keyof typeof MESSAGE_TEXTS, locale: Locale, vars: Record<string, unknown> = {}): string {
  return render(pick(MESSAGE_TEXTS[key], locale), vars);
}
