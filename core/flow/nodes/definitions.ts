import type { LocalizedText, NodePort, NodeTypeDefinition } from '../../../plugin-sdk.js';

const l = (en: string, ru: string, uk: string): LocalizedText => ({ en, ru, uk });

/**
 * A text per language. The business's language is the required one (the validator checks it, as only it knows
 * the business); the others are optional and fall back to it. May hold {{variables}}.
 */
export const LOCALIZED_TEXT = {
  type: 'object',
  minProperties: 1,
  properties: { en: { type: 'string', maxLength: 4096 }, ru: { type: 'string', maxLength: 4096 }, uk: { type: 'string', maxLength: 4096 } },
  additionalProperties: false,
  'x-ui': { widget: 'localized-text' },
} as const;

/** A field's label (and help) for the studio's forms, in every UI language. */
const ui = (label: LocalizedText, help?: LocalizedText) => ({ 'x-ui': { label, ...(help ? { help } : {}) } });
const text = (label: LocalizedText, help?: LocalizedText) => ({ ...LOCALIZED_TEXT, 'x-ui': { ...LOCALIZED_TEXT['x-ui'], ...ui(label, help)['x-ui'] } });
const TEXT = text(l('Text', 'Текст', 'Текст'));
const SAVE_AS = l('Save the answer as', 'Сохранить ответ в переменную', 'Зберегти відповідь у змінну');

const duration = (label: LocalizedText) => ({
  type: 'object',
  required: ['amount', 'unit'],
  properties: {
    amount: { type: 'number', exclusiveMinimum: 0, maximum: 100000, ...ui(l('How long', 'Сколько', 'Скільки')) },
    unit: {
      enum: ['seconds', 'minutes', 'hours', 'days'],
      'x-ui': {
        label: l('Unit', 'Единица', 'Одиниця'),
        enumLabels: { seconds: l('seconds', 'секунд', 'секунд'), minutes: l('minutes', 'минут', 'хвилин'), hours: l('hours', 'часов', 'годин'), days: l('days', 'дней', 'днів') },
      },
    },
  },
  additionalProperties: false,
  ...ui(label),
});

const varName = (label: LocalizedText) => ({ type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', 'x-ui': { widget: 'variable', label } });
const COMMAND = { type: 'string', pattern: '^/[a-z0-9_]{1,32}$', ...ui(l('Command', 'Команда', 'Команда'), l('A slash and latin letters, e.g. /start', 'Косая черта и латинские буквы, например /start', 'Коса риска й латинські літери, наприклад /start')) } as const;
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
    settingsSchema: { type: 'object', properties: {
      prefix: { type: 'string', pattern: '^[A-Za-z0-9_-]{0,64}$', default: '', ...ui(l('Code starts with', 'Код начинается с', 'Код починається з')) },
      saveAs: { ...varName(l('Save the code as', 'Сохранить код в переменную', 'Зберегти код у змінну')), default: 'startPayload' },
    }, additionalProperties: false },
    ports: [NEXT],
  },
  {
    type: 'trigger.keyword',
    category: 'trigger',
    label: l('Keyword', 'Ключевое слово', 'Ключове слово'),
    description: l('Starts when a client without an active dialog writes one of the words', 'Запускается, когда клиент без активного диалога пишет одно из слов', 'Запускається, коли клієнт без активного діалогу пише одне зі слів'),
    settingsSchema: {
      type: 'object', required: ['keywords'],
      properties: {
        keywords: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 100 }, ...ui(l('Words', 'Слова', 'Слова')) },
        match: {
          enum: ['exact', 'contains'], default: 'contains',
          'x-ui': { label: l('Match', 'Совпадение', 'Збіг'), enumLabels: { exact: l('The whole message', 'Всё сообщение целиком', 'Усе повідомлення повністю'), contains: l('Anywhere in the message', 'Где угодно в сообщении', 'Будь-де в повідомленні') } },
        },
      },
      additionalProperties: false,
    },
    ports: [NEXT],
  },
  {
    type: 'trigger.menu',
    category: 'trigger',
    label: l('Menu button', 'Кнопка меню', 'Кнопка меню'),
    description: l('A command shown in the bot’s menu button (set with setMyCommands)', 'Команда в кнопке меню бота (setMyCommands)', 'Команда в кнопці меню бота (setMyCommands)'),
    settingsSchema: { type: 'object', required: ['command', 'description'], properties: { command: COMMAND, description: text(l('Description in the menu', 'Описание в меню', 'Опис у меню')) }, additionalProperties: false },
    ports: [NEXT],
  },
  {
    type: 'message',
    category: 'message',
    label: l('Message', 'Сообщение', 'Повідомлення'),
    settingsSchema: { type: 'object', required: ['text'], properties: { text: TEXT, photo: { type: 'string', minLength: 1, maxLength: 2048, ...ui(l('Photo (link)', 'Фото (ссылка)', 'Фото (посилання)')) } }, additionalProperties: false },
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
        text: TEXT,
        buttons: {
          type: 'array', minItems: 1, maxItems: 30, ...ui(l('Buttons', 'Кнопки', 'Кнопки')),
          items: { type: 'object', required: ['id', 'label'], properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$', ...ui(l('Id', 'Код', 'Код')) }, label: text(l('Button text', 'Текст кнопки', 'Текст кнопки')) }, additionalProperties: false },
        },
        columns: { type: 'integer', minimum: 1, maximum: 4, default: 1, ...ui(l('Buttons per row', 'Кнопок в ряду', 'Кнопок у ряду')) },
        saveAs: varName(l('Save the chosen button as', 'Сохранить выбранную кнопку в переменную', 'Зберегти обрану кнопку у змінну')),
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
        text: TEXT,
        kind: {
          enum: ['text', 'number', 'phone', 'date'],
          'x-ui': { label: l('Kind of answer', 'Тип ответа', 'Тип відповіді'), enumLabels: { text: l('Text', 'Текст', 'Текст'), number: l('Number', 'Число', 'Число'), phone: l('Phone', 'Телефон', 'Телефон'), date: l('Date', 'Дата', 'Дата') } },
        },
        saveAs: varName(SAVE_AS),
        retryText: text(l('Text when the answer is wrong', 'Текст при неверном ответе', 'Текст при неправильній відповіді')),
        min: { type: 'number', ...ui(l('Minimum', 'Минимум', 'Мінімум')) },
        max: { type: 'number', ...ui(l('Maximum', 'Максимум', 'Максимум')) },
        maxAttempts: { type: 'integer', minimum: 1, maximum: 20, ...ui(l('Attempts', 'Попыток', 'Спроб')) },
        shareLabel: text(l('Share-phone button text', 'Текст кнопки «Отправить номер»', 'Текст кнопки «Надіслати номер»')),
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
          type: 'array', maxItems: 20, ...ui(l('Rules', 'Правила', 'Правила')),
          items: {
            type: 'object', required: ['id', 'label', 'all'],
            properties: {
              id: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$', ...ui(l('Id', 'Код', 'Код')) },
              label: text(l('Exit name', 'Название выхода', 'Назва виходу')),
              all: {
                type: 'array', minItems: 1, ...ui(l('All of the checks', 'Все проверки', 'Усі перевірки')),
                items: {
                  type: 'object', required: ['var', 'op'],
                  properties: {
                    var: { type: 'string', minLength: 1, 'x-ui': { widget: 'variable', label: l('Variable', 'Переменная', 'Змінна') } },
                    op: {
                      enum: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'empty', 'notEmpty'],
                      'x-ui': {
                        label: l('Check', 'Проверка', 'Перевірка'),
                        enumLabels: {
                          eq: l('equals', 'равно', 'дорівнює'), neq: l('does not equal', 'не равно', 'не дорівнює'), gt: l('greater than', 'больше', 'більше'),
                          gte: l('at least', 'не меньше', 'не менше'), lt: l('less than', 'меньше', 'менше'), lte: l('at most', 'не больше', 'не більше'),
                          contains: l('contains', 'содержит', 'містить'), empty: l('is empty', 'пусто', 'порожньо'), notEmpty: l('is not empty', 'не пусто', 'не порожньо'),
                        },
                      },
                    },
                    value: ui(l('Value', 'Значение', 'Значення')),
                  },
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
          type: 'array', minItems: 1, ...ui(l('Assignments', 'Присваивания', 'Присвоєння')),
          items: { type: 'object', required: ['var', 'value'], properties: {
            var: varName(l('Variable', 'Переменная', 'Змінна')),
            value: ui(l('Value', 'Значение', 'Значення'), l('A value, or a text with {{variables}}', 'Значение или текст с {{переменными}}', 'Значення або текст зі {{змінними}}')),
          }, additionalProperties: false },
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
    settingsSchema: { type: 'object', required: ['flowKey'], properties: { flowKey: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$', ...ui(l('Flow key', 'Ключ сценария', 'Ключ сценарію')) } }, additionalProperties: false },
    ports: [],
  },
  {
    type: 'wait',
    category: 'logic',
    label: l('Wait', 'Пауза', 'Пауза'),
    description: l('A durable delay: survives restarts', 'Надёжная пауза: переживает перезапуск', 'Надійна пауза: переживає перезапуск'),
    settingsSchema: { type: 'object', required: ['delay'], properties: { delay: duration(l('Wait for', 'Ждать', 'Чекати')) }, additionalProperties: false },
    ports: [NEXT],
  },
  {
    type: 'timeout',
    category: 'logic',
    label: l('No-reply timeout', 'Нет ответа', 'Немає відповіді'),
    description: l('Arms a timer and goes on; if the client writes nothing before it fires, the dialog moves to the “timeout” port', 'Заводит таймер и идёт дальше; если клиент ничего не напишет до срабатывания, диалог уходит в выход «нет ответа»', 'Заводить таймер і йде далі; якщо клієнт нічого не напише до спрацювання, діалог переходить у вихід «немає відповіді»'),
    settingsSchema: { type: 'object', required: ['after'], properties: { after: duration(l('No reply for', 'Нет ответа в течение', 'Немає відповіді протягом')) }, additionalProperties: false },
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
        method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], 'x-ui': { label: l('Method', 'Метод', 'Метод'), enumLabels: { GET: l('GET', 'GET', 'GET'), POST: l('POST', 'POST', 'POST'), PUT: l('PUT', 'PUT', 'PUT'), PATCH: l('PATCH', 'PATCH', 'PATCH'), DELETE: l('DELETE', 'DELETE', 'DELETE') } } },
        url: { type: 'string', pattern: '^https?://', maxLength: 2048, ...ui(l('Address (URL)', 'Адрес (URL)', 'Адреса (URL)')) },
        headers: { type: 'object', additionalProperties: { type: 'string' }, ...ui(l('Headers', 'Заголовки', 'Заголовки')) },
        body: { type: 'string', maxLength: 65536, ...ui(l('Body', 'Тело запроса', 'Тіло запиту')) },
        saveAs: varName(l('Save the response as', 'Сохранить ответ в переменную', 'Зберегти відповідь у змінну')),
        timeoutMs: { type: 'integer', minimum: 100, maximum: 30000, default: 10000, ...ui(l('Timeout, ms', 'Таймаут, мс', 'Тайм-аут, мс')) },
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
    settingsSchema: { type: 'object', properties: { text: text(l('Text to the client', 'Текст клиенту', 'Текст клієнту')), note: { type: 'string', maxLength: 1000, ...ui(l('Note to the staff', 'Заметка сотрудникам', 'Нотатка працівникам')) } }, additionalProperties: false },
    ports: [],
  },
  {
    type: 'end',
    category: 'logic',
    label: l('End', 'Конец', 'Кінець'),
    settingsSchema: { type: 'object', properties: { text: TEXT }, additionalProperties: false },
    ports: [],
  },
];

export const TRIGGER_TYPES = new Set(['trigger.command', 'trigger.deeplink', 'trigger.keyword', 'trigger.menu']);
