/** The demo salon & spa: departments from the customer's list (seed 003), Russian names as a Russian salon has them. */
export interface DemoStaff { key: string; name: string; title: string; color: string; days: number[]; from: number; to: number; breakAt?: number }
export interface DemoService {
  key: string; department: string; name: string; description: string; durationMin: number; price: number;
  kind?: 'regular' | 'group' | 'online'; capacity?: number; bufferAfterMin?: number; bufferBeforeMin?: number; color: string;
  staff: Array<string | { key: string; price?: number; durationMin?: number }>; resources?: string[]; requiresContract?: boolean; needsStaff?: boolean;
}

const H = 60;
const WEEKDAYS = [1, 2, 3, 4, 5];
const ALL = [1, 2, 3, 4, 5, 6, 7];

export const DEPARTMENTS = [
  { key: 'baths', name: 'Бани', description: 'Хаммам и русская баня' },
  { key: 'massage', name: 'Массаж', description: 'Классический, лечебный и SPA-массаж' },
  { key: 'hardware', name: 'Аппаратные методики по телу', description: 'LPG и другие аппаратные процедуры' },
  { key: 'nurse', name: 'Сестринская косметология', description: 'Уходовые процедуры для лица' },
  { key: 'hair', name: 'Парикмахерский зал', description: 'Стрижки, укладки, окрашивание' },
  { key: 'nails', name: 'Ногтевой сервис', description: 'Маникюр и педикюр' },
  { key: 'gym', name: 'Тренажёрный зал', description: 'Тренировки в мини-группах' },
  { key: 'pool', name: 'Бассейн', description: 'Аквааэробика и плавание' },
  { key: 'doctor', name: 'Врачебная косметология', description: 'Консультации и процедуры врача-косметолога' },
];

export const STAFF: Record<string, DemoStaff & { department: string }> = {
  sergey: { key: 'sergey', department: 'baths', name: 'Сергей Павлов', title: 'Банщик', color: '#8d6e63', days: [3, 4, 5, 6, 7], from: 12 * H, to: 22 * H, breakAt: 16 * H },
  olga: { key: 'olga', department: 'massage', name: 'Ольга Смирнова', title: 'Массажист', color: '#ab47bc', days: WEEKDAYS, from: 10 * H, to: 19 * H, breakAt: 14 * H },
  igor: { key: 'igor', department: 'massage', name: 'Игорь Волков', title: 'Массажист', color: '#5c6bc0', days: [1, 3, 5, 6, 7], from: 11 * H, to: 21 * H, breakAt: 15 * H },
  natalia: { key: 'natalia', department: 'massage', name: 'Наталья Кузнецова', title: 'Массажист-реабилитолог', color: '#26a69a', days: [2, 4, 6], from: 10 * H, to: 20 * H, breakAt: 14 * H },
  elena: { key: 'elena', department: 'hardware', name: 'Елена Фёдорова', title: 'Специалист по аппаратным методикам', color: '#ef5350', days: ALL, from: 10 * H, to: 18 * H, breakAt: 13 * H },
  marina: { key: 'marina', department: 'nurse', name: 'Марина Орлова', title: 'Косметолог', color: '#ec407a', days: WEEKDAYS, from: 10 * H, to: 19 * H, breakAt: 14 * H },
  anna: { key: 'anna', department: 'hair', name: 'Анна Белова', title: 'Стилист', color: '#ffa726', days: [1, 2, 3, 6, 7], from: 10 * H, to: 21 * H, breakAt: 15 * H },
  svetlana: { key: 'svetlana', department: 'hair', name: 'Светлана Морозова', title: 'Топ-стилист', color: '#ff7043', days: [2, 3, 4, 5, 6], from: 10 * H, to: 20 * H, breakAt: 14 * H },
  dmitry: { key: 'dmitry', department: 'hair', name: 'Дмитрий Козлов', title: 'Барбер', color: '#78909c', days: ALL, from: 12 * H, to: 21 * H },
  yulia: { key: 'yulia', department: 'nails', name: 'Юлия Соколова', title: 'Мастер ногтевого сервиса', color: '#f06292', days: [1, 2, 3, 4, 5], from: 10 * H, to: 20 * H, breakAt: 14 * H },
  kristina: { key: 'kristina', department: 'nails', name: 'Кристина Попова', title: 'Мастер ногтевого сервиса', color: '#ba68c8', days: [3, 4, 5, 6, 7], from: 11 * H, to: 21 * H, breakAt: 15 * H },
  alexey: { key: 'alexey', department: 'pool', name: 'Алексей Никитин', title: 'Тренер', color: '#29b6f6', days: ALL, from: 8 * H, to: 21 * H, breakAt: 13 * H },
  tatiana: { key: 'tatiana', department: 'doctor', name: 'Татьяна Лебедева', title: 'Врач-косметолог', color: '#66bb6a', days: [1, 3, 5], from: 10 * H, to: 18 * H, breakAt: 13 * H },
};

export const ROOMS = [
  { key: 'hammam', department: 'baths', kind: 'room' as const, name: 'Хаммам' },
  { key: 'massage1', department: 'massage', kind: 'room' as const, name: 'Массажный кабинет № 1' },
  { key: 'massage2', department: 'massage', kind: 'room' as const, name: 'Массажный кабинет № 2' },
  { key: 'hardwareRoom', department: 'hardware', kind: 'room' as const, name: 'Кабинет аппаратных методик' },
  { key: 'lpg', department: 'hardware', kind: 'equipment' as const, name: 'LPG-аппарат Cellu M6' },
  { key: 'cosmeticRoom', department: 'nurse', kind: 'room' as const, name: 'Кабинет косметолога' },
  { key: 'gymHall', department: 'gym', kind: 'room' as const, name: 'Зал групповых программ' },
  { key: 'pool', department: 'pool', kind: 'room' as const, name: 'Бассейн 25 м' },
];

export const SERVICES: DemoService[] = [
  { key: 'hammam', department: 'baths', name: 'Хаммам с пенным массажем', description: 'Прогрев, пилинг кесе и пенный массаж', durationMin: 90, price: 4500, bufferAfterMin: 30, color: '#8d6e63', staff: ['sergey'], resources: ['hammam'] },
  { key: 'backMassage', department: 'massage', name: 'Массаж спины', description: 'Классический массаж спины и шейно-воротниковой зоны', durationMin: 40, price: 2500, bufferAfterMin: 10, color: '#ab47bc', staff: ['olga', 'igor', 'natalia'], resources: ['massage1', 'massage2'] },
  { key: 'fullMassage', department: 'massage', name: 'Общий массаж', description: 'Массаж всего тела, 60 минут', durationMin: 60, price: 3800, bufferAfterMin: 15, color: '#7e57c2', staff: ['olga', 'igor', { key: 'natalia', price: 4200 }], resources: ['massage1', 'massage2'] },
  { key: 'stone', department: 'massage', name: 'Стоун-терапия', description: 'Массаж горячими камнями', durationMin: 90, price: 5200, bufferAfterMin: 15, color: '#5e35b1', staff: ['igor'], resources: ['massage2'] },
  { key: 'lpg', department: 'hardware', name: 'LPG-массаж тела', description: 'Аппаратный вакуумно-роликовый массаж', durationMin: 35, price: 2800, bufferAfterMin: 10, color: '#ef5350', staff: ['elena'], resources: ['hardwareRoom', 'lpg'] },
  { key: 'facial', department: 'nurse', name: 'Чистка лица', description: 'Комбинированная чистка с уходом', durationMin: 75, price: 3500, bufferAfterMin: 15, color: '#ec407a', staff: ['marina'], resources: ['cosmeticRoom'] },
  { key: 'care', department: 'nurse', name: 'Уходовая процедура для лица', description: 'Увлажнение и питание по типу кожи', durationMin: 60, price: 3000, bufferAfterMin: 10, color: '#f48fb1', staff: ['marina'], resources: ['cosmeticRoom'] },
  { key: 'womenCut', department: 'hair', name: 'Женская стрижка', description: 'Стрижка, мытьё и укладка', durationMin: 60, price: 2000, color: '#ffa726', staff: ['anna', { key: 'svetlana', price: 2600 }] },
  { key: 'menCut', department: 'hair', name: 'Мужская стрижка', description: 'Стрижка машинкой и ножницами', durationMin: 45, price: 1200, color: '#78909c', staff: ['dmitry', 'anna'] },
  { key: 'coloring', department: 'hair', name: 'Окрашивание волос', description: 'Окрашивание в один тон', durationMin: 120, price: 4500, bufferAfterMin: 15, color: '#ff7043', staff: ['anna', { key: 'svetlana', price: 5500, durationMin: 150 }] },
  { key: 'manicure', department: 'nails', name: 'Маникюр с покрытием', description: 'Аппаратный маникюр и гель-лак', durationMin: 90, price: 2200, color: '#f06292', staff: ['yulia', 'kristina'] },
  { key: 'pedicure', department: 'nails', name: 'Педикюр', description: 'Аппаратный педикюр с покрытием', durationMin: 90, price: 2800, color: '#ba68c8', staff: ['yulia', 'kristina'] },
  { key: 'functional', department: 'gym', name: 'Функциональная тренировка', description: 'Тренировка в мини-группе до 6 человек', durationMin: 55, price: 900, kind: 'group', capacity: 6, bufferAfterMin: 5, color: '#9ccc65', staff: ['alexey'], resources: ['gymHall'] },
  { key: 'aqua', department: 'pool', name: 'Аквааэробика', description: 'Групповое занятие в бассейне, до 10 человек', durationMin: 45, price: 700, kind: 'group', capacity: 10, bufferAfterMin: 15, color: '#29b6f6', staff: ['alexey'], resources: ['pool'] },
  { key: 'doctorConsult', department: 'doctor', name: 'Консультация врача-косметолога', description: 'Осмотр, подбор процедур; нужен договор на платные медицинские услуги', durationMin: 30, price: 1500, color: '#66bb6a', staff: ['tatiana'], resources: ['cosmeticRoom'], requiresContract: true },
  { key: 'onlineConsult', department: 'doctor', name: 'Онлайн-консультация косметолога', description: 'Видеозвонок: разбор ухода и рекомендации', durationMin: 30, price: 1000, kind: 'online', color: '#43a047', staff: ['tatiana', 'marina'] },
];
