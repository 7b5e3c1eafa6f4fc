import type { NodeTypeDefinition } from '../../plugin-sdk.js';

const nodes: NodeTypeDefinition[] = [
  {
    type: 'notifications.link-staff',
    category: 'integration',
    label: { en: "Link a staff member's Telegram", ru: 'Привязать Telegram сотрудника', uk: "Прив'язати Telegram працівника" },
    description: {
      en: 'Put after a deep link trigger with the code prefix "staff-": the member who asked for the code in the studio gets this chat for notifications and the staff menu.',
      ru: 'Ставится после глубокой ссылки с префиксом «staff-»: сотрудник, получивший код в студии, получает в этом чате уведомления и меню сотрудника.',
      uk: 'Ставиться після глибокого посилання з префіксом «staff-»: працівник, що отримав код у студії, отримує в цьому чаті сповіщення та меню працівника.',
    },
    settingsSchema: {
      type: 'object', additionalProperties: false,
      properties: {
        codeVar: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', default: 'startPayload', 'x-ui': { label: { en: 'Variable with the code', ru: 'Переменная с кодом', uk: 'Змінна з кодом' } } },
      },
    },
    ports: [
      { id: 'linked', label: { en: 'Linked', ru: 'Привязан', uk: "Прив'язано" }, optional: true },
      { id: 'invalid', label: { en: 'Unknown code', ru: 'Неизвестный код', uk: 'Невідомий код' }, optional: true },
    ],
  },
];
export default nodes;
