import { describe, expect, it } from 'vitest';
import { ru } from '../src/i18n/ru.js';
import type { MsgKey } from '../src/i18n/en.js';
import { localizeFieldError } from '../src/forms/errors.js';
import { describeError } from '../src/flow/describe.js';
import { CORE_NODE_TYPES } from '../../core/flow/nodes/definitions.js';
import type { JsonSchema } from '../src/types.js';

/** The Russian studio's speaker, built from its real dictionary as the I18nProvider builds it. */
const t = (key: MsgKey, vars?: Record<string, string | number>) => ru[key].replace(/\{(\w+)\}/g, (m, k: string) => (vars && k in vars ? String(vars[k]) : m));
const text = (v: unknown) => (typeof v === 'string' ? v : v ? (v as Record<string, string>).ru ?? (v as Record<string, string>).en : '');
const speaker = { t, text };
const input = CORE_NODE_TYPES.find((d) => d.type === 'input')!.settingsSchema as JsonSchema;

describe('errors in the owner’s language', () => {
  it('retells ajv’s English field errors in Russian, leaves other messages as written', () => {
    expect(localizeFieldError("must have required property 'name'", t)).toBe('Заполните это поле');
    expect(localizeFieldError('must be <= 120', t)).toBe('Не больше 120');
    expect(localizeFieldError('must NOT have more than 200 characters', t)).toBe('Не длиннее 200 символов');
    expect(localizeFieldError('must be equal to one of the allowed values', t)).toBe('Выберите один из вариантов');
    expect(localizeFieldError('Этот телефон уже записан', t)).toBe('Этот телефон уже записан');
  });

  it('names blocks, buttons and fields by their labels, never by ids', () => {
    const button = describeError({
      nodeId: 'n1', path: '/nodes/0', code: 'PORT_UNCONNECTED', message: 'Item “🎁 Offers” of the block “Buttons” leads nowhere',
      details: { port: 'be6s60rx1', portLabel: { en: '🎁 Offers', ru: '🎁 Акции' }, item: 'buttons', block: { en: 'Buttons', ru: 'Кнопки', uk: 'Кнопки' } },
    }, speaker);
    expect(button).toBe('Кнопка «🎁 Акции» никуда не ведёт: соедините её со следующим блоком');
    expect(button).not.toContain('be6s60rx1');
    const kind = describeError({ nodeId: 'n2', path: '/nodes/1/settings/kind', code: 'NODE_SETTINGS_INVALID', message: "must have required property 'kind'", details: { keyword: 'required', params: { missingProperty: 'kind' } } }, speaker, [], input);
    expect(kind).toBe('Тип ответа: Заполните это поле');
    const lang = describeError({ nodeId: 'n2', path: '/nodes/1/settings/retryText/ru', code: 'TEXT_LOCALE_MISSING', message: 'no ru', details: { locale: 'ru' } }, speaker, [], input);
    expect(lang).toBe('Текст при неверном ответе: Напишите этот текст на языке бизнеса (Русский); другие языки необязательны');
  });
});
