import type { NodeTypeDefinition } from '../../plugin-sdk.js';

/** Declarative half of the plugin's flow nodes: the studio reads this through the API, never the runtime. */
const nodes: NodeTypeDefinition[] = [
  {
    type: 'example.save-note',
    category: 'integration',
    label: { en: 'Save a note', ru: 'Сохранить заметку', uk: 'Зберегти нотатку' },
    settingsSchema: {
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string', minLength: 1, title: 'Text (may use {{variables}})' } },
    },
    ports: [{ id: 'next', label: { en: 'Next', ru: 'Далее', uk: 'Далі' } }],
  },
];
export default nodes;
