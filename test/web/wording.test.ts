import { ROOM_KINDS } from '../../src/catalog/vocabulary';
import type { CatalogService } from '../../src/venues/catalog-service';
import type { PageContext } from '../../src/web/context';
import { timelineLabel, translator, type Lang } from '../../src/web/i18n';
import { equipmentName } from '../../src/web/i18n-catalog';
import { catalogPage, venuePage } from '../../src/web/views/public';
import { pageText } from './web-portal';

/** Numbers agree with their words in Russian, and English pages show English words. */

type Venue = NonNullable<Awaited<ReturnType<CatalogService['getVenue']>>>;
type SearchResult = Awaited<ReturnType<CatalogService['searchVenues']>>;

const context = (lang: Lang): PageContext => ({ lang, t: translator(lang), csrfToken: 'token', path: '/' });

function venueWithRooms(capacities: number[], names: string[] = []): Venue {
  return {
    id: 1,
    name: 'ДК «Октябрь»',
    address: 'г. Тестовск, ул. Ленина, 1',
    description: 'Муниципальное учреждение культуры. Часы работы: 9:00–22:00, без выходных.',
    phone: '+74950000000',
    district: { id: 1, name: 'Тестовский' },
    timeZone: 'Europe/Moscow',
    rooms: capacities.map((capacity, index) => ({
      id: index + 1,
      name: names[index] ?? `Зал ${index + 1}`,
      kind: 'SMALL_HALL' as const,
      capacity,
      areaSqm: 80,
      equipment: ['Сцена', 'Проектор и экран', 'Wi-Fi'],
      openingHours: { opens: '09:00', closes: '22:00', weekdays: [1, 2, 3, 4, 5, 6, 7] },
      pricePerHour: 100_000,
    })),
    addOns: [],
  };
}

function searchResult(total: number, rooms: { roomCount: number; maxCapacity: number }[]): SearchResult {
  return {
    total,
    page: 1,
    pageSize: 20,
    items: rooms.map((figures, index) => ({ id: index + 1, name: `ДК ${index + 1}`, address: 'ул. Мира, 2', district: { id: 1, name: 'Тестовский' }, addOns: [], ...figures })),
  };
}

const catalog = (lang: Lang, result: SearchResult) => pageText(catalogPage(context(lang), { districts: [], result, values: {}, errors: [], query: new URLSearchParams() }));
const venue = (lang: Lang, capacities: number[]) => pageText(venuePage(context(lang), { venue: venueWithRooms(capacities), date: '2026-12-25', availability: new Map(), errors: [] }));

describe('Russian numbers and words', () => {
  it('when a room holds 21, 22, 25, 101 or 111 people, then its capacity reads "до 21 человека", "до 22 человек", …', () => {
    const text = venue('ru', [21, 22, 25, 101, 111]);
    for (const phrase of ['до 21 человека', 'до 22 человек', 'до 25 человек', 'до 101 человека', 'до 111 человек']) expect(text).toContain(phrase);
    expect(text).not.toMatch(/до (21|101) человек(?!а)/);
  });

  it('when the catalog lists venues with 1, 3 and 5 rooms, then the room count and capacity agree with their numbers', () => {
    const text = catalog('ru', searchResult(3, [{ roomCount: 1, maxCapacity: 21 }, { roomCount: 3, maxCapacity: 150 }, { roomCount: 5, maxCapacity: 701 }]));
    expect(text).toContain('1 зал, до 21 человека');
    expect(text).toContain('3 зала, до 150 человек');
    expect(text).toContain('5 залов, до 701 человека');
  });

  it('when English is chosen, then counts read "1 room, up to 1 person" and "2 rooms, up to 21 people"', () => {
    const text = catalog('en', searchResult(2, [{ roomCount: 1, maxCapacity: 1 }, { roomCount: 2, maxCapacity: 21 }]));
    expect(text).toContain('1 room, up to 1 person');
    expect(text).toContain('2 rooms, up to 21 people');
    expect(venue('en', [21])).toContain('up to 21 people');
  });
});

describe('English pages', () => {
  it('when a venue is shown in English, then its equipment is in English and the venue\'s own Russian description is marked as Russian', () => {
    const page = venuePage(context('en'), { venue: venueWithRooms([30]), date: '2026-12-25', availability: new Map(), errors: [] });
    const text = pageText(page);
    expect(text).toContain('Stage, Projector and screen, Wi-Fi');
    expect(text).not.toContain('Сцена');
    expect(page).toMatch(/<[a-z]+ lang="ru">Муниципальное учреждение культуры/);
    expect(pageText(venuePage(context('ru'), { venue: venueWithRooms([30]), date: '2026-12-25', availability: new Map(), errors: [] }))).toContain('Сцена, Проектор и экран, Wi-Fi');
  });

  it('when every term of the catalog\'s equipment vocabulary is shown in English, then each has its own English name; a term from elsewhere stays as it is', () => {
    const terms = [...new Set(Object.values(ROOM_KINDS).flatMap((kind) => kind.equipment))];
    for (const term of terms) {
      expect(equipmentName('ru', term)).toBe(term);
      expect(equipmentName('en', term)).not.toMatch(/[а-яё]/i);
    }
    expect(new Set(terms.map((term) => equipmentName('en', term))).size).toBe(terms.length);
    expect(equipmentName('en', 'проектор')).toBe('проектор');
  });

  it('when the catalog finds 1 234 venues, then the count is written the English way in English and the Russian way in Russian', () => {
    expect(catalog('en', searchResult(1234, []))).toContain('Venues found: 1,234');
    expect(catalog('ru', searchResult(1234, []))).toContain('Найдено площадок: 1 234');
  });
});

describe('rooms, prices and the history', () => {
  it('when a room is named after its kind, then its heading says the kind once in Russian, and in English adds the English kind', () => {
    const page = (lang: Lang) => venuePage(context(lang), { venue: venueWithRooms([30, 40], ['Малый зал', 'Зал Славы']), date: '2026-12-25', availability: new Map(), errors: [] });
    const headings = (markup: string) => [...markup.matchAll(/<h3 [^>]*>([\s\S]*?)<\/h3>/g)].map((match) => pageText(match[1]));
    expect(headings(page('ru'))).toEqual(['Малый зал', 'Зал Славы · Малый зал']);
    expect(headings(page('en'))).toEqual(['Малый зал · Small hall', 'Зал Славы · Small hall']);
  });

  it('when prices are shown, then English pages write them the English way and Russian pages the Russian way', () => {
    expect(venue('en', [30])).toContain('1,000.00 ₽ per hour');
    expect(venue('ru', [30])).toContain('1 000,00 ₽ в час');
  });

  it('when the history shows a decision on a service or an expiry, then it names the service and why the application closed', () => {
    expect(timelineLabel('ru', { type: 'ADDON_APPROVED', data: { code: 'CATERING' } })).toBe('Услуга «Кейтеринг» одобрена');
    expect(timelineLabel('en', { type: 'ADDON_DECLINED', data: { code: 'CATERING' } })).toBe('“Catering” declined');
    expect(timelineLabel('ru', { type: 'ADDON_CANCELLED', data: null })).toBe('Услуга отменена');
    expect(timelineLabel('ru', { type: 'EXPIRED', data: { reason: 'NO_ANSWER' } })).toBe('Оператор не дозвонился, заявка закрыта');
    expect(timelineLabel('ru', { type: 'EXPIRED', data: { reason: 'DEADLINE' } })).toBe('Срок рассмотрения истёк');
  });
});
