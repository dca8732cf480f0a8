import { DEFAULT_CATALOG_SEED, generateCatalog, type Catalog } from './generate';

const ROOM_KINDS = ['BIG_HALL', 'SMALL_HALL', 'DANCE_CLASS', 'RECORDING_STUDIO', 'CONFERENCE_ROOM', 'EXHIBITION_HALL', 'CLASSROOM'];
const ADD_ON_CODES = ['TECH_SUPPORT', 'EVENT_ORGANIZATION', 'CATERING', 'MUSIC_RECORDING', 'TURNKEY_DECOR'];

function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

describe('generateCatalog', () => {
  let catalog: Catalog;
  beforeAll(() => {
    catalog = generateCatalog();
  });

  test('when generated twice with the same seed, then the catalogs are deep-equal', () => {
    expect(generateCatalog(DEFAULT_CATALOG_SEED)).toEqual(catalog);
  });

  test('when generated with another seed, then the catalog differs but keeps the districts', () => {
    const other = generateCatalog(DEFAULT_CATALOG_SEED + 1);
    expect(other.districts).toEqual(catalog.districts);
    expect(other.venues).not.toEqual(catalog.venues);
  });

  test('when generated, then it covers at least 46 districts and 1,200 venues', () => {
    expect(catalog.districts.length).toBeGreaterThanOrEqual(46);
    expect(catalog.venues.length).toBeGreaterThanOrEqual(1200);
    expect(catalog.districts.map((district) => district.name)).toEqual(
      expect.arrayContaining(['Балашиха', 'Дмитровский', 'Королёв', 'Серебряные Пруды', 'Щёлково', 'Электросталь']),
    );
  });

  test('when generated, then district names and Latin slugs are unique', () => {
    const names = catalog.districts.map((district) => district.name);
    const slugs = catalog.districts.map((district) => district.slug);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  test('when generated, then ids run 1..N and every reference points at an existing row', () => {
    expect(catalog.venues.map((venue) => venue.id)).toEqual(catalog.venues.map((_, index) => index + 1));
    expect(catalog.rooms.map((room) => room.id)).toEqual(catalog.rooms.map((_, index) => index + 1));
    const districtIds = new Set(catalog.districts.map((district) => district.id));
    const venueIds = new Set(catalog.venues.map((venue) => venue.id));
    expect(catalog.venues.every((venue) => districtIds.has(venue.districtId))).toBe(true);
    expect(catalog.rooms.every((room) => venueIds.has(room.venueId))).toBe(true);
    expect(catalog.venueAddOns.every((addOn) => venueIds.has(addOn.venueId))).toBe(true);
  });

  test('when generated, then every district has venues and every venue has 2–6 distinct rooms', () => {
    const venuesByDistrict = groupBy(catalog.venues, (venue) => venue.districtId);
    for (const district of catalog.districts) expect(venuesByDistrict.get(district.id)?.length).toBeGreaterThan(0);

    const roomsByVenue = groupBy(catalog.rooms, (room) => room.venueId);
    for (const venue of catalog.venues) {
      const kinds = (roomsByVenue.get(venue.id) ?? []).map((room) => room.kind);
      expect(kinds.length).toBeGreaterThanOrEqual(2);
      expect(kinds.length).toBeLessThanOrEqual(6);
      expect(new Set(kinds).size).toBe(kinds.length);
    }
  });

  test('when generated, then every venue offers add-ons and recording help only where it has a studio', () => {
    const roomsByVenue = groupBy(catalog.rooms, (room) => room.venueId);
    const addOnsByVenue = groupBy(catalog.venueAddOns, (addOn) => addOn.venueId);
    for (const venue of catalog.venues) {
      const codes = (addOnsByVenue.get(venue.id) ?? []).map((addOn) => addOn.code);
      expect(codes.length).toBeGreaterThan(0);
      expect(new Set(codes).size).toBe(codes.length);
      const hasStudio = (roomsByVenue.get(venue.id) ?? []).some((room) => room.kind === 'RECORDING_STUDIO');
      if (codes.includes('MUSIC_RECORDING')) expect(hasStudio).toBe(true);
    }
    expect(catalog.venueAddOns.some((addOn) => addOn.code === 'MUSIC_RECORDING')).toBe(true);
  });

  test('when generated, then rooms and add-ons have plausible sizes, hours and prices in kopecks', () => {
    const kindsSeen = new Set(catalog.rooms.map((room) => room.kind));
    expect([...kindsSeen].sort()).toEqual([...ROOM_KINDS].sort());
    // Collect offenders instead of expecting per row: ~5,000 rooms, and the failure lists them.
    const implausible = catalog.rooms.filter(
      (room) =>
        room.capacity <= 0 ||
        room.areaSqm <= 0 ||
        room.equipment.length === 0 ||
        room.opensAtMinute < 0 ||
        room.closesAtMinute > 24 * 60 ||
        room.closesAtMinute - room.opensAtMinute < 6 * 60 ||
        room.openWeekdays.length === 0 ||
        room.openWeekdays.some((day) => day < 1 || day > 7) ||
        !Number.isInteger(room.pricePerHour) ||
        room.pricePerHour <= 0 ||
        room.pricePerHour % 100 !== 0,
    );
    expect(implausible).toEqual([]);
    expect(catalog.venueAddOns.filter((addOn) => !Number.isInteger(addOn.price) || addOn.price <= 0)).toEqual([]);
    expect(catalog.rooms.some((room) => room.closesAtMinute < 22 * 60)).toBe(true);
  });

  test('when generated, then venues have Russian names, addresses in the district town and phone numbers', () => {
    const malformed = catalog.venues.filter(
      (venue) =>
        !/«.+»/.test(venue.name) ||
        !/^Московская область, (г\.|р\. п\.) .+, д\. \d+/.test(venue.address) ||
        !/^\+7 \(49[568]\) \d{3}-\d{2}-\d{2}$/.test(venue.phone) ||
        venue.description.length === 0,
    );
    expect(malformed).toEqual([]);
    const dmitrov = catalog.districts.find((district) => district.name === 'Дмитровский')!;
    const dmitrovVenue = catalog.venues.find((venue) => venue.districtId === dmitrov.id)!;
    expect(dmitrovVenue.address).toContain('г. Дмитров,');
  });

  test('when generated, then the five add-on services have Russian and English names', () => {
    expect(catalog.addOnServices.map((service) => service.code).sort()).toEqual([...ADD_ON_CODES].sort());
    const byCode = Object.fromEntries(catalog.addOnServices.map((service) => [service.code, service]));
    expect(byCode.TECH_SUPPORT.nameRu).toBe('Техническая поддержка');
    expect(byCode.EVENT_ORGANIZATION.nameRu).toBe('Организация мероприятий');
    expect(byCode.CATERING.nameRu).toBe('Кейтеринг');
    expect(byCode.MUSIC_RECORDING.nameRu).toBe('Помощь в записи музыкальных композиций');
    expect(byCode.TURNKEY_DECOR.nameRu).toBe('Оформление события «под ключ»');
    for (const service of catalog.addOnServices) {
      expect(service.nameEn).toMatch(/^[A-Za-z ]+$/);
      expect(service.descriptionRu.length).toBeGreaterThan(0);
      expect(service.descriptionEn.length).toBeGreaterThan(0);
    }
  });
});
