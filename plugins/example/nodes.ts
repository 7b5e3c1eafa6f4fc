import type { NodeTypeDefinition } from '../../plugin-sdk.js';

/** Declarative half of the plugin's flow nodes: the studio reads this through the API, never the runtime. */
const nodes: NodeTypeDefinition[] = [
  {
    type: 'example.save-note',
    category: 'integration',
    label: { en: 'Save a note', ru: 'Сохранить заметку', uk: 'Зберегти нотатку' },
    // It asks other plugins (extension points, maybe over the network) and writes in its own transaction.
    outsideTransaction: true,
    settingsSchema: {
      type: 'object',
      required: ['text'],
      properties: {
        text: {
          type: 'string', minLength: 1,
          'x-ui': { label: { en: 'Text', ru: 'Текст', uk: 'Текст' }, help: { en: 'May use {{variables}}', ru: 'Можно использовать {{переменные}}', uk: 'Можна використовувати {{змінні}}' } },
        },
      },
    },
    ports: [{ id: 'next', label: { en: 'Next', ru: 'Далее', uk: 'Далі' } }],
  },
  {
    type: 'example.count-notes',
    category: 'integration',
    label: { en: 'Count notes', ru: 'Посчитать заметки', uk: 'Порахувати нотатки' },
    settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
    ports: [
      { id: 'some', label: { en: 'Has notes', ru: 'Есть заметки', uk: 'Є нотатки' } },
      { id: 'none', label: { en: 'No notes', ru: 'Нет заметок', uk: 'Немає нотаток' } },
    ],
    writes: { noteCount: 'number' },
  },
];
export default nodes;
