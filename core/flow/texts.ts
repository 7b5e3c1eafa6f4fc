import type { Locale, LocalizedText } from '../../plugin-sdk.js';
import { pick, render } from './template.js';

/** What the engine itself says to clients and staff (node texts come from the graph). */
const TEXTS = {
  fallback: { en: 'Sorry, something went wrong on our side. Please try again a bit later or send /start.', ru: 'Извините, у нас что-то пошло не так. Попробуйте чуть позже или отправьте /start.', uk: 'Вибачте, у нас щось пішло не так. Спробуйте трохи пізніше або надішліть /start.' },
  unavailable: { en: 'This option is not available right now.', ru: 'Этот раздел сейчас недоступен.', uk: 'Цей розділ зараз недоступний.' },
  staleButton: { en: 'This choice is no longer current', ru: 'Этот выбор уже неактуален', uk: 'Цей вибір уже неактуальний' },
  paymentUnavailable: { en: 'This payment cannot be accepted now. Please try again later.', ru: 'Сейчас этот платёж принять нельзя. Попробуйте позже.', uk: 'Зараз цей платіж прийняти не можна. Спробуйте пізніше.' },
  reask: { en: 'I could not understand that, please try again.', ru: 'Не удалось разобрать ответ, попробуйте ещё раз.', uk: 'Не вдалося розібрати відповідь, спробуйте ще раз.' },
  shareContact: { en: 'Share my phone number', ru: 'Отправить мой номер', uk: 'Надіслати мій номер' },
  handoffClient: { en: 'An administrator will reply to you shortly.', ru: 'Администратор скоро вам ответит.', uk: 'Адміністратор незабаром вам відповість.' },
  handoffStaff: { en: 'A client asks for a human: {{name}} {{phone}} ({{channel}}). {{note}}', ru: 'Клиент просит администратора: {{name}} {{phone}} ({{channel}}). {{note}}', uk: 'Клієнт просить адміністратора: {{name}} {{phone}} ({{channel}}). {{note}}' },
  handoffMessage: { en: 'Message from {{name}}: {{text}}', ru: 'Сообщение от {{name}}: {{text}}', uk: 'Повідомлення від {{name}}: {{text}}' },
} satisfies Record<string, LocalizedText>;

export type EngineText = keyof typeof TEXTS;

export function engineText(key: EngineText, locale: Locale, vars: Record<string, unknown> = {}): string {
  return render(pick(TEXTS[key], locale), vars).replace(/\s+/g, ' ').trim();
}
