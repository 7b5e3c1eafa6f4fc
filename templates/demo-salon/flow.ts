import type { Graph } from '../../core/flow/graph.js';

const at = (x: number, y: number) => ({ x, y });

/** The demo salon's main menu: booking (the `booking` flow), prices, a call-back request with the client's phone, address and hours, a human. */
export const DEMO_MAIN_FLOW: Graph = {
  schemaVersion: 1,
  variables: [
    { name: 'phone', type: 'phone' },
    { name: 'referrer', type: 'string' },
  ],
  nodes: [
    { id: 'start', type: 'trigger.command', position: at(0, 0), settings: { command: '/start' } },
    { id: 'menu-command', type: 'trigger.menu', position: at(0, 120), settings: { command: '/menu', description: { en: 'Main menu', ru: 'Главное меню', uk: 'Головне меню' } } },
    { id: 'referral', type: 'trigger.deeplink', position: at(0, 240), settings: { prefix: 'ref', saveAs: 'referrer' } },
    { id: 'hello', type: 'trigger.keyword', position: at(0, 360), settings: { keywords: ['menu', 'меню', 'привет', 'hello', 'привіт'], match: 'contains' } },
    {
      id: 'welcome', type: 'message', position: at(300, 0),
      settings: {
        text: {
          ru: 'Здравствуйте! Вас приветствует салон красоты «Demo Beauty & Spa» 💅\nМы работаем без выходных с 10:00 до 21:00.',
          en: 'Hello! Welcome to Demo Beauty & Spa 💅\nWe are open every day from 10:00 to 21:00.',
          uk: 'Вітаємо! Салон краси «Demo Beauty & Spa» радий вас бачити 💅\nМи працюємо без вихідних з 10:00 до 21:00.',
        },
      },
    },
    {
      id: 'menu', type: 'choice', position: at(600, 0),
      settings: {
        text: { ru: 'Чем можем помочь?', en: 'How can we help you?', uk: 'Чим можемо допомогти?' },
        buttons: [
          { id: 'prices', label: { ru: '💇‍♀️ Услуги и цены', en: '💇‍♀️ Services & prices', uk: '💇‍♀️ Послуги та ціни' } },
          { id: 'book', label: { ru: '📅 Записаться', en: '📅 Book a visit', uk: '📅 Записатися' } },
          { id: 'callback', label: { ru: '📞 Перезвоните мне', en: '📞 Call me back', uk: '📞 Передзвоніть мені' } },
          { id: 'contacts', label: { ru: '📍 Адрес и часы работы', en: '📍 Address & hours', uk: '📍 Адреса та години роботи' } },
          { id: 'human', label: { ru: '💬 Связаться с администратором', en: '💬 Talk to an administrator', uk: '💬 Звʼязатися з адміністратором' } },
        ],
      },
    },
    {
      id: 'prices', type: 'message', position: at(900, -200),
      settings: {
        text: {
          ru: 'Наши услуги:\n• Женская стрижка — от 2 000 ₽\n• Мужская стрижка — от 1 200 ₽\n• Окрашивание — от 4 500 ₽\n• Маникюр с покрытием — 2 200 ₽\n• Педикюр — 2 800 ₽\n• Массаж спины (40 мин) — 2 500 ₽\n• Чистка лица — 3 500 ₽',
          en: 'Our services:\n• Women’s haircut — from 2,000 ₽\n• Men’s haircut — from 1,200 ₽\n• Hair colouring — from 4,500 ₽\n• Gel manicure — 2,200 ₽\n• Pedicure — 2,800 ₽\n• Back massage (40 min) — 2,500 ₽\n• Facial cleansing — 3,500 ₽',
          uk: 'Наші послуги:\n• Жіноча стрижка — від 2 000 ₽\n• Чоловіча стрижка — від 1 200 ₽\n• Фарбування — від 4 500 ₽\n• Манікюр з покриттям — 2 200 ₽\n• Педикюр — 2 800 ₽\n• Масаж спини (40 хв) — 2 500 ₽\n• Чистка обличчя — 3 500 ₽',
        },
      },
    },
    { id: 'to-booking', type: 'jump', position: at(900, -100), settings: { flowKey: 'booking' } },
    {
      id: 'ask-phone', type: 'input', position: at(900, 0),
      settings: {
        kind: 'phone', saveAs: 'phone',
        text: { ru: 'Оставьте номер телефона — администратор перезвонит и подберёт удобное время.', en: 'Leave your phone number and our administrator will call you to find a convenient time.', uk: 'Залиште номер телефону — адміністратор передзвонить і підбере зручний час.' },
        retryText: { ru: 'Похоже, это не номер телефона. Нажмите кнопку ниже или введите номер в формате +7 900 123-45-67.', en: 'That does not look like a phone number. Tap the button below or type it like +7 900 123-45-67.', uk: 'Схоже, це не номер телефону. Натисніть кнопку нижче або введіть номер у форматі +380 67 123 45 67.' },
        shareLabel: { ru: '📱 Отправить мой номер', en: '📱 Share my number', uk: '📱 Надіслати мій номер' },
      },
    },
    {
      id: 'booked', type: 'end', position: at(1200, 0),
      settings: { text: { ru: 'Спасибо! Мы перезвоним на номер {{phone}} в течение 15 минут в рабочее время.', en: 'Thank you! We will call {{phone}} within 15 minutes during opening hours.', uk: 'Дякуємо! Ми передзвонимо на номер {{phone}} протягом 15 хвилин у робочий час.' } },
    },
    {
      id: 'contacts', type: 'message', position: at(900, 200),
      settings: {
        text: {
          ru: 'Мы находимся по адресу: ул. Пятницкая, 12, Москва (5 минут от м. Новокузнецкая).\nЕжедневно 10:00–21:00, тел. +7 495 000-00-00.',
          en: 'Find us at 12 Pyatnitskaya St, Moscow (5 minutes from Novokuznetskaya metro).\nOpen daily 10:00–21:00, phone +7 495 000-00-00.',
          uk: 'Ми знаходимося за адресою: вул. Пʼятницька, 12, Москва (5 хвилин від м. Новокузнецька).\nЩодня 10:00–21:00, тел. +7 495 000-00-00.',
        },
      },
    },
    {
      id: 'human', type: 'handoff', position: at(900, 400),
      settings: { text: { ru: 'Передали ваш вопрос администратору — он ответит здесь в ближайшее время.', en: 'We have passed your question to an administrator, who will reply here shortly.', uk: 'Передали ваше питання адміністратору — він відповість тут найближчим часом.' }, note: 'Demo bot' },
    },
  ],
  edges: [
    { id: 'e-start', source: 'start', sourcePort: 'next', target: 'welcome' },
    { id: 'e-menu-command', source: 'menu-command', sourcePort: 'next', target: 'menu' },
    { id: 'e-referral', source: 'referral', sourcePort: 'next', target: 'welcome' },
    { id: 'e-hello', source: 'hello', sourcePort: 'next', target: 'welcome' },
    { id: 'e-welcome', source: 'welcome', sourcePort: 'next', target: 'menu' },
    { id: 'e-prices', source: 'menu', sourcePort: 'prices', target: 'prices' },
    { id: 'e-book', source: 'menu', sourcePort: 'book', target: 'to-booking' },
    { id: 'e-callback', source: 'menu', sourcePort: 'callback', target: 'ask-phone' },
    { id: 'e-contacts', source: 'menu', sourcePort: 'contacts', target: 'contacts' },
    { id: 'e-human', source: 'menu', sourcePort: 'human', target: 'human' },
    { id: 'e-prices-back', source: 'prices', sourcePort: 'next', target: 'menu' },
    { id: 'e-contacts-back', source: 'contacts', sourcePort: 'next', target: 'menu' },
    { id: 'e-phone', source: 'ask-phone', sourcePort: 'next', target: 'booked' },
  ],
};
