import { defineMessages } from 'bookflow/studio';

export const messages = defineMessages({
  'title': 'Hot windows',
  'intro': 'Free time at a discount with a fixed prepayment. Clients see it in the bot’s calendar as 🔥 with the discounted price.',
  'service': 'Service',
  'legend.title': 'Legend', 'legend.regular': 'Regular', 'legend.hot': 'Hot window', 'legend.online': 'Online consultation',
  'new': 'Mark free time hot', 'specialists': 'Specialists', 'dateFrom': 'From day', 'dateTo': 'To day', 'from': 'From', 'to': 'To',
  'discount': 'Discount, %', 'prepayment': 'Prepayment', 'segments': 'Notify segments (optional)', 'create': 'Create',
  'windows': 'Hot windows', 'expired': 'expired', 'cancel': 'Cancel', 'none': 'No free time in the coming days.',
  'proposals': 'Suggested from the gaps', 'use': 'Use', 'freeHours': '{hours} h free',
}, {
  ru: {
    'title': 'Горящие окна',
    'intro': 'Свободное время со скидкой и фиксированной предоплатой. Клиенты видят его в календаре бота как 🔥 со сниженной ценой.',
    'service': 'Услуга', 'legend.title': 'Условные обозначения', 'legend.regular': 'Обычное время', 'legend.hot': 'Горящее окно', 'legend.online': 'Онлайн-консультация',
    'new': 'Сделать свободное время горящим', 'specialists': 'Специалисты', 'dateFrom': 'С дня', 'dateTo': 'По день', 'from': 'С', 'to': 'До',
    'discount': 'Скидка, %', 'prepayment': 'Предоплата', 'segments': 'Оповестить сегменты (необязательно)', 'create': 'Создать',
    'windows': 'Горящие окна', 'expired': 'истекло', 'cancel': 'Отменить', 'none': 'Свободного времени в ближайшие дни нет.',
    'proposals': 'Предложения по свободным промежуткам', 'use': 'Взять', 'freeHours': 'свободно {hours} ч',
  },
  uk: {
    'title': 'Гарячі вікна',
    'intro': 'Вільний час зі знижкою та фіксованою передоплатою. Клієнти бачать його в календарі бота як 🔥 зі зниженою ціною.',
    'service': 'Послуга', 'legend.title': 'Умовні позначення', 'legend.regular': 'Звичайний час', 'legend.hot': 'Гаряче вікно', 'legend.online': 'Онлайн-консультація',
    'new': 'Зробити вільний час гарячим', 'specialists': 'Спеціалісти', 'dateFrom': 'З дня', 'dateTo': 'По день', 'from': 'З', 'to': 'До',
    'discount': 'Знижка, %', 'prepayment': 'Передоплата', 'segments': 'Сповістити сегменти (необов’язково)', 'create': 'Створити',
    'windows': 'Гарячі вікна', 'expired': 'минуло', 'cancel': 'Скасувати', 'none': 'Вільного часу найближчими днями немає.',
    'proposals': 'Пропозиції за вільними проміжками', 'use': 'Взяти', 'freeHours': 'вільно {hours} год',
  },
});
