import { defineMessages } from 'bookflow/studio';

export const messages = defineMessages({
  'report.title': 'Referrals',
  'report.summary': 'Invited: {invited} · came: {converted} · points paid: {points}',
  'report.referrer': 'Invited by',
  'report.friend': 'Friend',
  'report.when': 'When',
  'report.converted': 'First visit',
  'report.points': 'Points',
  'report.yes': 'Completed',
  'report.no': 'Not yet',
  'report.none': 'Nobody was invited yet.',
  'report.csv': 'Download CSV',
  'report.xlsx': 'Download XLSX',
}, {
  ru: {
    'report.title': 'Приведи друга', 'report.summary': 'Приглашено: {invited} · пришли: {converted} · выплачено баллов: {points}', 'report.referrer': 'Пригласил',
    'report.friend': 'Друг', 'report.when': 'Когда', 'report.converted': 'Первый визит', 'report.points': 'Баллы', 'report.yes': 'Состоялся', 'report.no': 'Пока нет',
    'report.none': 'Пока никого не пригласили.', 'report.csv': 'Скачать CSV', 'report.xlsx': 'Скачать XLSX',
  },
  uk: {
    'report.title': 'Приведи друга', 'report.summary': 'Запрошено: {invited} · прийшли: {converted} · виплачено балів: {points}', 'report.referrer': 'Запросив',
    'report.friend': 'Друг', 'report.when': 'Коли', 'report.converted': 'Перший візит', 'report.points': 'Бали', 'report.yes': 'Відбувся', 'report.no': 'Поки ні',
    'report.none': 'Поки нікого не запросили.', 'report.csv': 'Завантажити CSV', 'report.xlsx': 'Завантажити XLSX',
  },
});
