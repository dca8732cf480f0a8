import { PEOPLE_GENITIVE, russianPlural, type RussianForms } from '../domain/plural';
import type { Lang } from './i18n';

/**
 * The catalog's own words in the portal's languages: counted nouns, and the equipment terms of
 * the catalog's fixed vocabulary (src/catalog/vocabulary.ts), which the database keeps in Russian.
 */

const ROOMS_NOMINATIVE: RussianForms = { one: 'зал', few: 'зала', many: 'залов' };

/** "человека" or "человек" after "до 21"; "person" or "people". */
export const peopleWord = (lang: Lang, count: number) => (lang === 'en' ? (count === 1 ? 'person' : 'people') : russianPlural(count, PEOPLE_GENITIVE));

/** "зал", "зала" or "залов" after a number; "room" or "rooms". */
export const roomsWord = (lang: Lang, count: number) => (lang === 'en' ? (count === 1 ? 'room' : 'rooms') : russianPlural(count, ROOMS_NOMINATIVE));

const EQUIPMENT_EN: Readonly<Record<string, string>> = {
  'Сцена': 'Stage',
  'Звуковой комплекс': 'Sound system',
  'Световое оборудование': 'Stage lighting',
  'Проектор и экран': 'Projector and screen',
  'Рояль': 'Grand piano',
  'Радиомикрофоны': 'Wireless microphones',
  'Гримёрные': 'Dressing rooms',
  'Кресла партера': 'Stalls seating',
  'Оркестровая яма': 'Orchestra pit',
  'Звукоусиление': 'Sound reinforcement',
  'Пианино': 'Upright piano',
  'Микрофоны': 'Microphones',
  'Подиум': 'Podium',
  'Стулья': 'Chairs',
  'Зеркала': 'Mirrors',
  'Балетные станки': 'Ballet barres',
  'Танцевальное покрытие': 'Dance floor',
  'Музыкальный центр': 'Stereo system',
  'Раздевалки': 'Changing rooms',
  'Микшерный пульт': 'Mixing desk',
  'Студийные мониторы': 'Studio monitors',
  'Конденсаторные микрофоны': 'Condenser microphones',
  'Звукоизоляция': 'Soundproofing',
  'Цифровое пианино': 'Digital piano',
  'Рабочая станция со звуковым редактором': 'Workstation with audio editing software',
  'Наушники для исполнителей': 'Headphones for performers',
  'Флипчарт': 'Flip chart',
  'Wi-Fi': 'Wi-Fi',
  'Система видеоконференций': 'Video conferencing system',
  'Ноутбук': 'Laptop',
  'Выставочные стенды': 'Exhibition stands',
  'Трековое освещение': 'Track lighting',
  'Подвесная система': 'Picture hanging system',
  'Витрины': 'Display cases',
  'Маркерная доска': 'Whiteboard',
  'Парты и стулья': 'Desks and chairs',
  'Проектор': 'Projector',
};

/** A room's equipment term in `lang`; a term outside the vocabulary is shown as it was entered. */
export const equipmentName = (lang: Lang, term: string) => (lang === 'en' ? (EQUIPMENT_EN[term] ?? term) : term);
