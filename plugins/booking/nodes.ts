import type { LocalizedText, NodePort, NodeTypeDefinition } from '../../plugin-sdk.js';

/** Declarative half of the booking chat nodes; runtimes are in runtime/. They share the `booking*` flow variables. */
const l = (en: string, ru: string, uk: string): LocalizedText => ({ en, ru, uk });
const NEXT: NodePort = { id: 'next', label: l('Next', 'Далее', 'Далі') };
const BACK: NodePort = { id: 'back', label: l('Back', 'Назад', 'Назад'), optional: true };
/** Labels of the studio's forms, in every UI language. */
const ui = (label: LocalizedText) => ({ 'x-ui': { label } });
const TEXT = {
  type: 'object', minProperties: 1, additionalProperties: false,
  'x-ui': { widget: 'localized-text', label: l('Prompt', 'Текст вопроса', 'Текст питання'), help: l('Leave empty for the default', 'Оставьте пустым — будет текст по умолчанию', 'Залиште порожнім — буде текст за замовчуванням') },
  properties: { en: { type: 'string', maxLength: 1000 }, ru: { type: 'string', maxLength: 1000 }, uk: { type: 'string', maxLength: 1000 } },
};
const SELECTION = { bookingServiceId: 'service', bookingServiceName: 'string', bookingDepartmentId: 'string', bookingResourceId: 'specialist', bookingSpecialistName: 'string' };

const nodes: NodeTypeDefinition[] = [
  {
    type: 'booking.pick-service',
    category: 'booking',
    label: l('Pick a service', 'Выбор услуги', 'Вибір послуги'),
    description: l('Departments, then services of the chosen one', 'Сначала направление, затем услуга', 'Спершу напрям, потім послуга'),
    settingsSchema: {
      type: 'object', additionalProperties: false,
      properties: {
        text: TEXT,
        departmentId: { type: 'string', format: 'uuid', 'x-ui': { optionsFrom: '/api/v1/booking/departments', label: l('Only this department', 'Только это направление', 'Лише цей напрям') } },
        groupByDepartment: { type: 'boolean', default: true, ...ui(l('Ask for the department first', 'Сначала спросить направление', 'Спершу запитати напрям')) },
      },
    },
    ports: [NEXT],
    writes: SELECTION,
  },
  {
    type: 'booking.pick-specialist',
    category: 'booking',
    label: l('Pick a specialist', 'Выбор специалиста', 'Вибір спеціаліста'),
    description: l('Qualified staff of the chosen service, or "any"; skipped when there is one', 'Специалисты услуги или «любой»; пропускается, если выбирать не из кого', 'Спеціалісти послуги або «будь-який»; пропускається, якщо обирати нема з кого'),
    settingsSchema: { type: 'object', additionalProperties: false, properties: { text: TEXT, allowAny: { type: 'boolean', default: true, ...ui(l('Offer "any specialist"', 'Предлагать «любой специалист»', 'Пропонувати «будь-який спеціаліст»')) } } },
    ports: [NEXT],
    writes: { bookingResourceId: 'specialist', bookingSpecialistName: 'string' },
  },
  {
    type: 'booking.pick-day',
    // Runs outside the turn's transaction: it asks booking.busyTimes providers (calendars, over the network).
    outsideTransaction: true,
    category: 'booking',
    label: l('Pick a day', 'Выбор дня', 'Вибір дня'),
    description: l('A two-week calendar; days without free time are shown as unavailable', 'Календарь на две недели; дни без свободного времени недоступны', 'Календар на два тижні; дні без вільного часу недоступні'),
    settingsSchema: { type: 'object', additionalProperties: false, properties: { text: TEXT, days: { type: 'integer', minimum: 1, maximum: 31, default: 14, ...ui(l('Days shown', 'Сколько дней показывать', 'Скільки днів показувати')) } } },
    ports: [NEXT, { id: 'none', label: l('No free time', 'Нет свободного времени', 'Немає вільного часу'), optional: true }],
    writes: { bookingDay: 'date' },
  },
  {
    type: 'booking.pick-time',
    // Runs outside the turn's transaction: it asks booking.busyTimes providers.
    outsideTransaction: true,
    category: 'booking',
    label: l('Pick a time', 'Выбор времени', 'Вибір часу'),
    settingsSchema: { type: 'object', additionalProperties: false, properties: { text: TEXT } },
    ports: [NEXT, { ...BACK, label: l('Another day', 'Другой день', 'Інший день') }],
    writes: { bookingStart: 'datetime', bookingEnd: 'datetime', bookingResourceIds: 'json', bookingPrice: 'money' },
  },
  {
    type: 'booking.ask-contact',
    category: 'booking',
    label: l('Ask name and phone', 'Имя и телефон', "Ім'я та телефон"),
    description: l('Only for a new client; a known one goes straight on', 'Только для нового клиента; знакомого не спрашивает', 'Лише для нового клієнта; знайомого не питає'),
    settingsSchema: { type: 'object', additionalProperties: false, properties: { askName: { type: 'boolean', default: true, ...ui(l('Ask for the name', 'Спрашивать имя', "Питати ім'я")) } } },
    ports: [NEXT],
    writes: { bookingClientName: 'string', bookingClientPhone: 'phone', bookingPhoneVerified: 'boolean', bookingAsk: 'string' },
  },
  {
    type: 'booking.confirm',
    // Runs outside the turn's transaction: it asks other plugins (veto, price, busy times) and books in its own transaction.
    outsideTransaction: true,
    category: 'booking',
    label: l('Confirm the booking', 'Подтверждение записи', 'Підтвердження запису'),
    description: l('Summary and confirm; books, or moves the booking being rescheduled', 'Итог и подтверждение; создаёт запись или переносит выбранную', 'Підсумок і підтвердження; створює запис або переносить обраний'),
    settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
    ports: [
      { id: 'next', label: l('Booked', 'Записан', 'Записано') },
      { ...BACK, label: l('Another time / taken', 'Другое время / занято', 'Інший час / зайнято') },
      { id: 'cancel', label: l('Declined', 'Отказ', 'Відмова'), optional: true },
    ],
    writes: { bookingId: 'booking', bookingRescheduleId: 'booking', bookingAttempt: 'string' },
  },
  {
    type: 'booking.my-bookings',
    category: 'booking',
    label: l('My bookings', 'Мои записи', 'Мої записи'),
    description: l('Upcoming bookings with cancel and reschedule', 'Предстоящие записи: отмена и перенос', 'Майбутні записи: скасування та перенесення'),
    settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
    ports: [NEXT, { id: 'reschedule', label: l('Reschedule', 'Перенос', 'Перенесення') }],
    writes: { ...SELECTION, bookingRescheduleId: 'booking', bookingClientName: 'string', bookingClientPhone: 'phone' },
  },
];
export default nodes;
