import { useI18n } from '../i18n/index.js';
import type { Locale } from '../types.js';

/** The segments pages' texts, kept with them; ru and uk must have every key (the type checks it). */
const en = {
  title: 'Segments', intro: 'Groups of clients by a rule: who they are, what they did, what they agreed to. Counts are live.',
  name: 'Name', description: 'Description', count: 'Clients now', builtIn: 'built-in', none: 'No segments of your own yet.',
  create: 'New segment', open: 'Open', save: 'Save', saved: 'Saved.', delete: 'Delete', confirmDelete: 'Delete this segment? It can be restored from the trash.',
  back: 'All segments', readOnly: 'The built-in segment holds every client; it cannot be changed.',
  rule: 'Rule', matchAll: 'all of', matchAny: 'any of', matchNone: 'none of', groupLabel: 'Clients matching', addCondition: 'Add condition', addGroup: 'Add group', remove: 'Remove',
  field: 'Field', op: 'Condition', value: 'Value', from: 'from', to: 'to', days: 'days', yes: 'yes', no: 'no', choose: '— choose —', listHint: 'comma-separated',
  liveCount: 'Matching clients: {n}', counting: 'Counting…', incomplete: 'Fill in every condition to see the count.', sample: 'For example', sampleEmpty: 'Nobody matches yet.', emptyGroup: 'An empty “all of” group matches everyone.',
  'op.eq': 'is', 'op.neq': 'is not', 'op.in': 'is one of', 'op.notIn': 'is none of', 'op.contains': 'contains', 'op.all': 'contains all of',
  'op.gt': 'more than', 'op.gte': 'at least', 'op.lt': 'less than', 'op.lte': 'at most', 'op.between': 'between',
  'op.withinLastDays': 'in the last … days', 'op.olderThanDays': 'more than … days ago', 'op.withinNextDays': 'in the next … days', 'op.exists': 'is set',
  'opDate.gt': 'after', 'opDate.lt': 'before', 'opList.in': 'contains any of', 'opList.notIn': 'contains none of', 'opList.exists': 'is not empty',
};
type Key = keyof typeof en;

const ru: Record<Key, string> = {
  title: 'Сегменты', intro: 'Группы клиентов по правилу: кто они, что делали, на что согласились. Число считается сразу.',
  name: 'Название', description: 'Описание', count: 'Клиентов сейчас', builtIn: 'встроенный', none: 'Своих сегментов пока нет.',
  create: 'Новый сегмент', open: 'Открыть', save: 'Сохранить', saved: 'Сохранено.', delete: 'Удалить', confirmDelete: 'Удалить сегмент? Его можно восстановить из корзины.',
  back: 'Все сегменты', readOnly: 'Встроенный сегмент — это все клиенты; его нельзя изменить.',
  rule: 'Правило', matchAll: 'все условия', matchAny: 'любое из условий', matchNone: 'ни одно из условий', groupLabel: 'Клиенты, для которых выполняются', addCondition: 'Добавить условие', addGroup: 'Добавить группу', remove: 'Убрать',
  field: 'Поле', op: 'Условие', value: 'Значение', from: 'от', to: 'до', days: 'дн.', yes: 'да', no: 'нет', choose: '— выберите —', listHint: 'через запятую',
  liveCount: 'Подходит клиентов: {n}', counting: 'Считаем…', incomplete: 'Заполните все условия, чтобы увидеть число.', sample: 'Например', sampleEmpty: 'Пока никто не подходит.', emptyGroup: 'Пустая группа «все условия» — это все клиенты.',
  'op.eq': 'равно', 'op.neq': 'не равно', 'op.in': 'одно из', 'op.notIn': 'ни одно из', 'op.contains': 'содержит', 'op.all': 'содержит все',
  'op.gt': 'больше', 'op.gte': 'не меньше', 'op.lt': 'меньше', 'op.lte': 'не больше', 'op.between': 'между',
  'op.withinLastDays': 'за последние … дн.', 'op.olderThanDays': 'больше … дн. назад', 'op.withinNextDays': 'в ближайшие … дн.', 'op.exists': 'заполнено',
  'opDate.gt': 'после', 'opDate.lt': 'до', 'opList.in': 'содержит любое из', 'opList.notIn': 'не содержит ни одного из', 'opList.exists': 'не пусто',
};

const uk: Record<Key, string> = {
  title: 'Сегменти', intro: 'Групи клієнтів за правилом: хто вони, що робили, на що погодилися. Кількість рахується одразу.',
  name: 'Назва', description: 'Опис', count: 'Клієнтів зараз', builtIn: 'вбудований', none: 'Власних сегментів поки немає.',
  create: 'Новий сегмент', open: 'Відкрити', save: 'Зберегти', saved: 'Збережено.', delete: 'Видалити', confirmDelete: 'Видалити сегмент? Його можна відновити з кошика.',
  back: 'Усі сегменти', readOnly: 'Вбудований сегмент — це всі клієнти; його не можна змінити.',
  rule: 'Правило', matchAll: 'усі умови', matchAny: 'будь-яка з умов', matchNone: 'жодна з умов', groupLabel: 'Клієнти, для яких виконуються', addCondition: 'Додати умову', addGroup: 'Додати групу', remove: 'Прибрати',
  field: 'Поле', op: 'Умова', value: 'Значення', from: 'від', to: 'до', days: 'дн.', yes: 'так', no: 'ні', choose: '— оберіть —', listHint: 'через кому',
  liveCount: 'Підходить клієнтів: {n}', counting: 'Рахуємо…', incomplete: 'Заповніть усі умови, щоб побачити кількість.', sample: 'Наприклад', sampleEmpty: 'Поки ніхто не підходить.', emptyGroup: 'Порожня група «усі умови» — це всі клієнти.',
  'op.eq': 'дорівнює', 'op.neq': 'не дорівнює', 'op.in': 'одне з', 'op.notIn': 'жодне з', 'op.contains': 'містить', 'op.all': 'містить усі',
  'op.gt': 'більше', 'op.gte': 'не менше', 'op.lt': 'менше', 'op.lte': 'не більше', 'op.between': 'між',
  'op.withinLastDays': 'за останні … дн.', 'op.olderThanDays': 'понад … дн. тому', 'op.withinNextDays': 'найближчі … дн.', 'op.exists': 'заповнено',
  'opDate.gt': 'після', 'opDate.lt': 'до', 'opList.in': 'містить будь-яке з', 'opList.notIn': 'не містить жодного з', 'opList.exists': 'не порожньо',
};

const TEXTS: Record<Locale, Record<Key, string>> = { en, ru, uk };

/** `s(key, vars)` in the studio's language; `sx` for keys built at run time (operators by field type). */
export function useSegmentTexts() {
  const { locale } = useI18n();
  const dict = TEXTS[locale];
  const fill = (text: string, vars?: Record<string, string | number>) => (vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text);
  return {
    s: (key: Key, vars?: Record<string, string | number>) => fill(dict[key], vars),
    sx: (keys: string[]) => keys.map((k) => (dict as Record<string, string>)[k]).find(Boolean) ?? keys[keys.length - 1],
  };
}
