import type { NodeTypeDefinition } from '../../plugin-sdk.js';

const next = { id: 'next', label: { en: 'Next', ru: 'Далее', uk: 'Далі' } };

const nodes: NodeTypeDefinition[] = [
  {
    type: 'loyalty.my-points',
    category: 'integration',
    label: { en: 'My points', ru: 'Мои баллы', uk: 'Мої бали' },
    description: { en: 'Shows the client\'s balance, recent entries, points about to expire and when points may be used again', ru: 'Показывает клиенту баланс, последние операции, сгорающие баллы и когда можно снова списать баллы', uk: 'Показує клієнту баланс, останні операції, бали, що згоряють, і коли можна знову списати бали' },
    settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
    ports: [next],
  },
  {
    type: 'loyalty.offer-points',
    category: 'booking',
    label: { en: 'Offer to pay with points', ru: 'Предложить оплату баллами', uk: 'Запропонувати оплату балами' },
    description: { en: 'After booking.confirm: offers to pay part of the booking (bookingId) with points; goes on at once when there is nothing to offer', ru: 'После подтверждения записи предлагает оплатить её часть баллами; если предложить нечего, сразу идёт дальше', uk: 'Після підтвердження запису пропонує сплатити його частину балами; якщо запропонувати нічого, одразу йде далі' },
    settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
    ports: [next],
    writes: { loyaltyOffer: 'number', loyaltyPointsApplied: 'number' },
  },
];

export default nodes;
