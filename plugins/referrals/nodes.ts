import type { NodeTypeDefinition } from '../../plugin-sdk.js';

const next = { id: 'next', label: { en: 'Next', ru: 'Далее', uk: 'Далі' } };

const nodes: NodeTypeDefinition[] = [
  {
    type: 'referrals.invite',
    category: 'integration',
    label: { en: 'Invite a friend', ru: 'Пригласить друга', uk: 'Запросити друга' },
    description: { en: 'Shows the client\'s personal invite link with a share button', ru: 'Показывает личную ссылку-приглашение клиента с кнопкой «Поделиться»', uk: 'Показує особисте посилання-запрошення клієнта з кнопкою «Поділитися»' },
    settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
    ports: [next],
  },
  {
    type: 'referrals.accept',
    category: 'integration',
    label: { en: 'Accept an invitation', ru: 'Принять приглашение', uk: 'Прийняти запрошення' },
    description: { en: 'After a deep-link trigger with prefix ref_: records who invited this client (the payload in startPayload)', ru: 'После триггера по ссылке с префиксом ref_: запоминает, кто пригласил клиента (код в startPayload)', uk: 'Після тригера за посиланням із префіксом ref_: запам\'ятовує, хто запросив клієнта (код у startPayload)' },
    settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
    ports: [next],
    writes: { referralAccepted: 'boolean' },
  },
];

export default nodes;
