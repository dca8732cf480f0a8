import type { AddOnCode, RoomKind } from '../db/client';
import { ADDON_NAME_EN, ADDON_NAME_RU } from '../domain/addons';

/**
 * The words the catalog generator combines: venue name patterns, proper names, streets, and
 * per room kind its Russian name, size, equipment and price range. User-facing, so Russian.
 */

/** `%s` is replaced by a proper name in «ёлочки». All are town venues: addresses are in the main town. */
export const VENUE_NAME_PATTERNS: readonly string[] = [
  'ДК %s',
  'Дом культуры %s',
  'Дворец культуры %s',
  'Центр культуры и досуга %s',
  'Культурно-досуговый центр %s',
  'Клуб %s',
];

export const VENUE_PROPER_NAMES: readonly string[] = [
  'Октябрь', 'Юность', 'Мир', 'Дружба', 'Современник', 'Космос', 'Победа', 'Родина', 'Энергетик',
  'Строитель', 'Химик', 'Металлург', 'Восход', 'Заря', 'Радуга', 'Спутник', 'Молодёжный', 'Луч',
  'Горизонт', 'Надежда', 'Искра', 'Факел', 'Звёздный', 'Берёзка', 'Маяк', 'Рассвет', 'Полёт',
  'Юбилейный', 'Первомайский', 'Текстильщик', 'Колос', 'Ока', 'Вдохновение', 'Гармония',
  'Созвездие', 'Весна', 'Ветеран', 'Лира', 'Огонёк', 'Россия', 'Русь', 'Светлана', 'Меридиан',
  'Орбита', 'Чайка', 'Прометей', 'Ровесник', 'Авангард', 'Солнечный', 'Подмосковье', 'Ника',
  'Содружество', 'Сокол', 'Алые паруса', 'Калина', 'Рябинушка', 'Вымпел', 'Отрада', 'Истоки',
  'Кругозор', 'Ритм', 'Премьера', 'Дебют', 'Фестивальный', 'Ассоль',
];

export const STREETS: readonly string[] = [
  'ул. Ленина', 'ул. Советская', 'ул. Мира', 'ул. Пушкина', 'ул. Гагарина', 'ул. Октябрьская',
  'ул. Комсомольская', 'ул. Школьная', 'ул. Садовая', 'ул. Молодёжная', 'ул. Центральная',
  'ул. Первомайская', 'ул. Победы', 'пр-т Мира', 'ул. Спортивная', 'ул. Заводская', 'ул. Парковая',
  'ул. Лесная', 'ул. Набережная', 'Театральная пл.', 'ул. Калинина', 'ул. Чехова', 'ул. Горького',
  'ул. Кирова', 'ул. Свердлова', 'ул. Фрунзе', 'Культурный пер.', 'ул. Строителей',
  'ул. Юбилейная', 'ул. Маяковского',
];

export interface RoomKindSpec {
  name: string;
  capacity: [min: number, max: number];
  /** Square metres per person of capacity, to derive a plausible area. */
  areaPerSeat: [min: number, max: number];
  equipment: readonly string[];
  /** Hourly price range in roubles before the district's price factor. */
  priceRoubles: [min: number, max: number];
  /** Latest closing time in minutes after midnight (classrooms and exhibitions close early). */
  latestClose: number;
}

export const ROOM_KINDS: Readonly<Record<RoomKind, RoomKindSpec>> = {
  BIG_HALL: {
    name: 'Большой зал',
    capacity: [150, 700],
    areaPerSeat: [0.9, 1.3],
    equipment: ['Сцена', 'Звуковой комплекс', 'Световое оборудование', 'Проектор и экран', 'Рояль',
      'Радиомикрофоны', 'Гримёрные', 'Кресла партера', 'Оркестровая яма'],
    priceRoubles: [3000, 12000],
    latestClose: 23 * 60,
  },
  SMALL_HALL: {
    name: 'Малый зал',
    capacity: [40, 150],
    areaPerSeat: [1.0, 1.5],
    equipment: ['Звукоусиление', 'Проектор и экран', 'Пианино', 'Микрофоны', 'Подиум', 'Стулья'],
    priceRoubles: [1500, 5000],
    latestClose: 22 * 60,
  },
  DANCE_CLASS: {
    name: 'Хореографический класс',
    capacity: [10, 40],
    areaPerSeat: [3.0, 5.0],
    equipment: ['Зеркала', 'Балетные станки', 'Танцевальное покрытие', 'Музыкальный центр', 'Раздевалки'],
    priceRoubles: [800, 2500],
    latestClose: 22 * 60,
  },
  RECORDING_STUDIO: {
    name: 'Студия звукозаписи',
    capacity: [3, 8],
    areaPerSeat: [4.0, 7.0],
    equipment: ['Микшерный пульт', 'Студийные мониторы', 'Конденсаторные микрофоны', 'Звукоизоляция',
      'Цифровое пианино', 'Рабочая станция со звуковым редактором', 'Наушники для исполнителей'],
    priceRoubles: [1500, 4000],
    latestClose: 22 * 60,
  },
  CONFERENCE_ROOM: {
    name: 'Конференц-зал',
    capacity: [15, 80],
    areaPerSeat: [1.5, 2.5],
    equipment: ['Проектор и экран', 'Флипчарт', 'Wi-Fi', 'Система видеоконференций', 'Микрофоны', 'Ноутбук'],
    priceRoubles: [1000, 3500],
    latestClose: 21 * 60,
  },
  EXHIBITION_HALL: {
    name: 'Выставочный зал',
    capacity: [30, 120],
    areaPerSeat: [2.0, 3.0],
    equipment: ['Выставочные стенды', 'Трековое освещение', 'Подвесная система', 'Витрины'],
    priceRoubles: [1000, 4000],
    latestClose: 20 * 60,
  },
  CLASSROOM: {
    name: 'Учебный класс',
    capacity: [8, 25],
    areaPerSeat: [2.0, 3.0],
    equipment: ['Маркерная доска', 'Парты и стулья', 'Проектор', 'Wi-Fi'],
    priceRoubles: [500, 1500],
    latestClose: 21 * 60,
  },
};

export interface AddOnServiceSpec {
  code: AddOnCode;
  nameRu: string;
  nameEn: string;
  descriptionRu: string;
  descriptionEn: string;
  /** A venue's price for the service per event, in roubles before the district's price factor. */
  priceRoubles: [min: number, max: number];
}

export const ADD_ON_SERVICES: readonly AddOnServiceSpec[] = [
  {
    code: 'TECH_SUPPORT',
    nameRu: ADDON_NAME_RU.TECH_SUPPORT,
    nameEn: ADDON_NAME_EN.TECH_SUPPORT,
    descriptionRu: 'Звукорежиссёр и светотехник на время мероприятия: настройка и сопровождение оборудования.',
    descriptionEn: 'A sound and lighting engineer for the event who sets up and runs the equipment.',
    priceRoubles: [1500, 5000],
  },
  {
    code: 'EVENT_ORGANIZATION',
    nameRu: ADDON_NAME_RU.EVENT_ORGANIZATION,
    nameEn: ADDON_NAME_EN.EVENT_ORGANIZATION,
    descriptionRu: 'Сценарий, ведущий и координация мероприятия специалистами дома культуры.',
    descriptionEn: 'A script, a host and on-the-day coordination by the venue staff.',
    priceRoubles: [10000, 40000],
  },
  {
    code: 'CATERING',
    nameRu: ADDON_NAME_RU.CATERING,
    nameEn: ADDON_NAME_EN.CATERING,
    descriptionRu: 'Фуршет или кофе-брейк от партнёров дома культуры с обслуживанием.',
    descriptionEn: 'A buffet or coffee break from the venue partners, served on site.',
    priceRoubles: [15000, 60000],
  },
  {
    code: 'MUSIC_RECORDING',
    nameRu: ADDON_NAME_RU.MUSIC_RECORDING,
    nameEn: ADDON_NAME_EN.MUSIC_RECORDING,
    descriptionRu: 'Звукорежиссёр студии поможет записать, свести и подготовить композицию к публикации.',
    descriptionEn: 'The studio engineer helps record, mix and prepare a track for release.',
    priceRoubles: [3000, 12000],
  },
  {
    code: 'TURNKEY_DECOR',
    nameRu: ADDON_NAME_RU.TURNKEY_DECOR,
    nameEn: ADDON_NAME_EN.TURNKEY_DECOR,
    descriptionRu: 'Декор зала, фотозона и оформление сцены по согласованному макету.',
    descriptionEn: 'Room decoration, a photo zone and stage dressing to an agreed design.',
    priceRoubles: [8000, 35000],
  },
];
