import type { LocalizedText, NodePort, NodeTypeDefinition } from '../../../plugin-sdk.js';

/** A text per language; `en` is required, ru/uk fall back to it. May hold {{variables}}. */
export const LOCALIZED_TEXT = {
  type: 'object',
  required: ['en'],
  properties: { en: { type: 'string', minLength: 1, maxLength: 4096 }, ru: { type: 'string', maxLength: 4096 }, uk: { type: 'string', maxLength: 4096 } },
  additionalProperties: false,
  'x-ui': { widget: 'localized-text' },
} as const;

const DURATION = {
  type: 'object',
  required: ['amount', 'unit'],
  properties: { amount: { type: 'number', exclusiveMinimum: 0, maximum: 100000 }, unit: { enum: ['seconds', 'minutes', 'hours', 'days'] } },
  additionalProperties: false,
} as const;

const VAR_NAME = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', 'x-ui': { widget: 'variable' } } as const;
const COMMAND = { type: 'string', pattern: '^/[a-z0-9_]{1,32}$' } as const;

const l = (en: string, ru: string, uk: string): LocalizedText => ({ en, ru, uk });
const NEXT: NodePort = { id: 'next', label: l('Next', 'Далее', 'Далі') };
const ERROR: NodePort = { id: 'error', label: l('On error', 'При ошибке', 'При помилці'), optional: true };

/** Core node types: what the studio palette and the validator know. Runtimes live in ./runtimes.ts. */
export const CORE_NODE_TYPES: NodeTypeDefinition[] = [
  {
    type: 'trigger.command',
    category: 'trigger',
    label: l('Command', 'Команда', 'Команда'),
    description: l('Starts the flow on a command such as /start', 'Запускает сценарий по команде, например /start', 'Запускає сценарій за командою, наприклад /start'),
    settingsSchema: { type: 'object', required: ['command'], properties: { command: COMMAND }, additionalProperties: false },
    ports: [NEXT],
  },
  {
    type: 'trigger.deeplink',
    category: 'trigger',
    label: l('Deep link', 'Глубокая ссылка', 'Глибоке посилання'),
    description: l('Starts on t.me/<bot>?start=<payload>; the payload goes to a variable (referrals)', 'Запускается по ссылке t.me/<бот>?start=<код>; код попадает в переменную (рефералы)', 'Запускається за посиланням t.me/<бот>?start=<код>; код потрапляє у змінну (реферали)'),
    settingsSchema: { type: 'object', properties: { prefix: { type: 'string', pattern: '^[A-Za-z0-9_-]{0,64}$', default: '' }, saveAs: { ...VAR_NAME, default: 'startPayload' } }, additionalProperties: false },
    ports: [NEXT],
  },
  {
    type: 'trigger.keyword',
    category: 'trigger',
    label: l('Keyword', 'Ключевое слово', 'Ключове слово'),
    description: l('Starts when a client without an active dialog writes one of the words', 'Запускается, когда клиент без активного диалога пишет одно из слов', 'Запускається, коли клієнт без активного діалогу пише одне зі слів'),
    settingsSchema: {
      type: 'object', required: ['keywords'],
      properties: { keywords: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 100 } }, match: { enum: ['exact', 'contains'], default: 'contains' } },
      additionalProperties: false,
    },
    ports: [NEXT],
  },
  {
    type: 'trigger.menu',
    category: 'trigger',
    label: l('Menu button', 'Кнопка меню', 'Кнопка меню'),
    description: l('A command shown in the bot’s menu button (set with setMyCommands)', 'Команда в кнопке меню бота (setMyCommands)', 'Команда в кнопці меню бота (setMyCommands)'),
    settingsSchema: { type: 'object', required: ['command', 'description'], properties: { command: COMMAND, description: LOCALIZED_TEXT }, additionalProperties: false },
    ports: [NEXT],
  },
  {
    type: 'message',
    category: 'message',
    label: l('Message', 'Сообщение', 'Повідомлення'),
    settingsSchema: { type: 'object', required: ['text'], properties: { text: LOCALIZED_TEXT, photo: { type: 'string', minLength: 1, maxLength: 2048 } }, additionalProperties: false },
    ports: [NEXT],
  },
  {
    type: 'choice',
    category: 'input',
    label: l('Buttons', 'Кнопки', 'Кнопки'),
    description: l('Inline buttons, one port per button; free text goes to the fallback port', 'Кнопки под сообщением, по выходу на кнопку; свободный текст — в выход «Другое»', 'Кнопки під повідомленням, по виходу на кнопку; вільний текст — у вихід «Інше»'),
    settingsSchema: {
      type: 'object', required: ['text', 'buttons'],
      properties: {
        text: LOCALIZED_TEXT,
        buttons: {
          type: 'array', minItems: 1, maxItems: 30,
          items: { type: 'object', required: ['id', 'label'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' }, label: LOCALIZED_TEXT }, additionalProperties: false },
        },
        columns: { type: 'integer', minimum: 1, maximum: 4, default: 1 },
        saveAs: VAR_NAME,
      },
      additionalProperties: false,
    },
    ports: [{ id: 'fallback', label: l('Other text', 'Другой текст', 'Інший текст'), optional: true }],
    dynamicPorts: { from: 'buttons', idKey: 'id', labelKey: 'label' },
  },
  {
    type: 'input',
    category: 'input',
    label: l('Ask', 'Вопрос', 'Питання'),
    description: l('Asks for text, a number, a phone (contact sharing) or a date and re-asks until it is valid', 'Спрашивает текст, число, телефон (кнопка контакта) или дату и переспрашивает, пока ответ неверен', 'Питає текст, число, телефон (кнопка контакту) або дату й перепитує, доки відповідь неправильна'),
    settingsSchema: {
      type: 'object', required: ['text', 'kind', 'saveAs'],
      properties: {
        text: LOCALIZED_TEXT,
        kind: { enum: ['text', 'number', 'phone', 'date'] },
        saveAs: VAR_NAME,
        retryText: LOCALIZED_TEXT,
        min: { type: 'number' },
        max: { type: 'number' },
        maxAttempts: { type: 'integer', minimum: 1, maximum: 20 },
        shareLabel: LOCALIZED_TEXT,
      },
      additionalProperties: false,
    },
    ports: [NEXT, { id: 'failed', label: l('Gave up', 'Не удалось', 'Не вдалося'), optional: true }],
  },
  {
    type: 'condition',
    category: 'logic',
    label: l('Condition', 'Условие', 'Умова'),
    description: l('The first rule whose checks all hold picks the port; otherwise “else”', 'Первое правило, все проверки которого верны, выбирает выход; иначе «иначе»', 'Перше правило, усі перевірки якого істинні, обирає вихід; інакше «інакше»'),
    settingsSchema: {
      type: 'object', required: ['rules'],
      properties: {
        rules: {
          type: 'array', maxItems: 20,
          items: {
            type: 'object', required: ['id', 'label', 'all'],
            properties: {
              id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' },
              label: LOCALIZED_TEXT,
              all: {
                type: 'array', minItems: 1,
                items: {
                  type: 'object', required: ['var', 'op'],
                  properties: { var: { type: 'string', minLength: 1 }, op: { enum: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'empty', 'notEmpty'] }, value: {} },
                  additionalProperties: false,
                },
              },
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    ports: [{ id: 'else', label: l('Else', 'Иначе', 'Інакше') }],
    dynamicPorts: { from: 'rules', idKey: 'id', labelKey: 'label' },
  },
  {
    type: 'set',
    category: 'logic',
    label: l('Set variable', 'Задать переменную', 'Задати змінну'),
    settingsSchema: {
      type: 'object', required: ['assignments'],
      properties: {
        assignments: {
          type: 'array', minItems: 1,
          items: { type: 'object', required: ['var', 'value'], properties: { var: VAR_NAME, value: { description: 'a literal, or a string with {{variables}}' } }, additionalProperties: false },
        },
      },
      additionalProperties: false,
    },
    ports: [NEXT],
  },
  {
    type: 'jump',
    category: 'logic',
    label: l('Go to flow', 'Перейти в сценарий', 'Перейти до сценарію'),
    settingsSchema: { type: 'object', required: ['flowKey'], properties: { flowKey: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } }, additionalProperties: false },
    ports: [],
  },
  {
    type: 'wait',
    category: 'logic',
    label: l('Wait', 'Пауза', 'Пауза'),
    description: l('A durable delay: survives restarts', 'Надёжная пауза: переживает перезапуск', 'Надійна пауза: переживає перезапуск'),
    settingsSchema: { type: 'object', required: ['delay'], properties: { delay: DURATION }, additionalProperties: false },
    ports: [NEXT],
  },
  {
    type: 'timeout',
    category: 'logic',
    label: l('No-reply timeout', 'Нет ответа', 'Немає відповіді'),
    description: l('Arms a timer and goes on; if the client writes nothing before it fires, the dialog moves to the “timeout” port', 'Заводит таймер и идёт дальше; если клиент ничего не напишет до срабатывания, диалог уходит в выход «нет ответа»', 'Заводить таймер і йде далі; якщо клієнт нічого не напише до спрацювання, діалог переходить у вихід «немає відповіді»'),
    settingsSchema: { type: 'object', required: ['after'], properties: { after: DURATION }, additionalProperties: false },
    ports: [NEXT, { id: 'timeout', label: l('No reply', 'Нет ответа', 'Немає відповіді') }],
  },
  {
    type: 'http',
    category: 'integration',
    label: l('HTTP request', 'HTTP-запрос', 'HTTP-запит'),
    outsideTransaction: true,
    settingsSchema: {
      type: 'object', required: ['method', 'url'],
      properties: {
        method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
        url: { type: 'string', pattern: '^https?://', maxLength: 2048 },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: { type: 'string', maxLength: 65536 },
        saveAs: VAR_NAME,
        timeoutMs: { type: 'integer', minimum: 100, maximum: 30000, default: 10000 },
      },
      additionalProperties: false,
    },
    ports: [NEXT, ERROR],
  },
  {
    type: 'handoff',
    category: 'integration',
    label: l('Hand off to a human', 'Передать администратору', 'Передати адміністратору'),
    description: l('Notifies the business’s staff; the bot stays quiet until /start', 'Уведомляет сотрудников; бот молчит до /start', 'Повідомляє працівників; бот мовчить до /start'),
    settingsSchema: { type: 'object', properties: { text: LOCALIZED_TEXT, note: { type: 'string', maxLength: 1000 } }, additionalProperties: false },
    ports: [],
  },
  {
    type: 'end',
    category: 'logic',
    label: l('End', 'Конец', 'Кінець'),
    settingsSchema: { type: 'object', properties: { text: LOCALIZED_TEXT }, additionalProperties: false },
    ports: [],
  },
];

export const TRIGGER_TYPES = new Set(['trigger.command', 'trigger.deeplink', 'trigger.keyword', 'trigger.menu']);
