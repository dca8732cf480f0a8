import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { ADDON_CODES } from '../../src/domain/addons';
import { isoWeekdayOf } from '../../src/domain/moscow-time';
import { createCatalogService } from '../../src/venues/catalog-service';
import { searchWords, venueSearchText } from '../../src/venues/search-key';
import { createCatalogSnapshot } from '../../src/venues/catalog-snapshot';
import { searchVenuesSql, type VenueSearch } from '../../src/venues/venue-search';
import { applyMigrations } from '../../src/db/migrate';
import { useTestApp } from '../support/app';
import { waitFor } from '../support/wait';
import { createThrowawayDatabase, testDatabaseUrl, type TestDatabase } from '../support/db';

/**
 * The catalog search answers from an in-memory snapshot, or else with one raw SQL statement.
 * These tests hold both to the answers of the Prisma queries they replaced (kept below as the
 * reference), on the seeded catalog, for many filter sets; and the snapshot to its age bound.
 */

/** The former implementation (five Prisma queries), apart from its name and matching each word of the text. */
async function referenceSearch(prisma: PrismaClient, search: VenueSearch) {
  const words = search.text ? searchWords(search.text) : [];
  const where = {
    ...(search.districtId !== undefined ? { districtId: search.districtId } : {}),
    ...(words.length > 0 ? { AND: words.map((word) => ({ searchText: { contains: word } })) } : {}),
    ...(search.minCapacity !== undefined || search.openOn !== undefined
      ? {
          rooms: {
            some: {
              ...(search.minCapacity !== undefined ? { capacity: { gte: search.minCapacity } } : {}),
              ...(search.openOn !== undefined ? { openWeekdays: { has: isoWeekdayOf(search.openOn) } } : {}),
            },
          },
        }
      : {}),
    ...(search.addOn ? { addOns: { some: { code: search.addOn } } } : {}),
  };
  const [total, venues] = await Promise.all([
    prisma.venue.count({ where }),
    prisma.venue.findMany({
      where,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      skip: (search.page - 1) * search.pageSize,
      take: search.pageSize,
      include: {
        district: { select: { id: true, name: true } },
        rooms: { select: { capacity: true } },
        addOns: { select: { code: true } },
      },
    }),
  ]);
  return {
    items: venues.map((venue) => ({
      id: venue.id,
      name: venue.name,
      address: venue.address,
      district: venue.district,
      roomCount: venue.rooms.length,
      maxCapacity: Math.max(0, ...venue.rooms.map((room) => room.capacity)),
      addOns: venue.addOns.map((addOn) => addOn.code).sort(),
    })),
    total,
    page: search.page,
    pageSize: search.pageSize,
  };
}

let prisma: PrismaClient;
let searches: VenueSearch[];

beforeAll(async () => {
  prisma = createPrismaClient(testDatabaseUrl());
  const districts = await prisma.district.findMany({ orderBy: { id: 'asc' }, include: { _count: { select: { venues: true } } } });
  const biggest = [...districts].sort((a, b) => b._count.venues - a._count.venues)[0];
  const venues = await prisma.venue.findMany({ orderBy: { id: 'asc' }, take: 400 });
  const words = [...new Set(venues.flatMap((venue) => `${venue.name} ${venue.address}`.split(/[^\p{L}]+/u)).filter((word) => word.length >= 5))];
  const sampleWords = [0, 7, 31, 77, 150].map((index) => words[index % words.length]);
  const venueWithYo = venues.find((venue) => /[её]/i.test(venue.name));

  const base = { page: 1, pageSize: 20 };
  searches = [
    base,
    { page: 1, pageSize: 1 },
    { page: 1, pageSize: 100 },
    { page: 3, pageSize: 100 },
    { page: 1_000, pageSize: 20 },
    { ...base, districtId: biggest.id },
    { ...base, districtId: biggest.id, page: 2, pageSize: 5 },
    { ...base, districtId: 999_999 },
    ...sampleWords.map((word) => ({ ...base, text: word.slice(0, 6).toLowerCase() })),
    ...sampleWords.map((word) => ({ ...base, text: `  ${word.toUpperCase()}  ` })),
    ...(venueWithYo ? [{ ...base, text: venueWithYo.name.replace(/е/g, 'ё').replace(/Е/g, 'Ё') }] : []),
    { ...base, text: 'дом культуры' },
    { ...base, text: 'ДК «Маяк»' },
    { ...base, text: 'культурно досуговый, "Факел"' },
    { ...base, text: 'Балашиха  пр-т Мира' },
    { ...base, text: 'zzzz-no-such-venue' },
    // LIKE's own characters: passed through as before, never spliced into the SQL.
    { ...base, text: '%' },
    { ...base, text: '_' },
    { ...base, text: 'а_' },
    { ...base, text: '\\' },
    { ...base, text: "'; DROP TABLE venues; --" },
    ...[1, 20, 50, 100, 200, 100_000].map((minCapacity) => ({ ...base, minCapacity })),
    ...ADDON_CODES.map((addOn) => ({ ...base, addOn })),
    ...ADDON_CODES.map((addOn, index) => ({ ...base, addOn, minCapacity: [20, 50, 100, 200, 50][index], page: 2 })),
    { ...base, openOn: '2026-12-27' },
    { ...base, openOn: '2026-12-21', minCapacity: 100 },
    { ...base, openOn: '2026-12-26', districtId: biggest.id, addOn: 'CATERING', pageSize: 100 },
    ...districts.slice(0, 6).map((district, index) => ({
      ...base,
      districtId: district.id,
      minCapacity: [20, 50, 100, 200][index % 4],
      addOn: ADDON_CODES[index % ADDON_CODES.length],
      text: sampleWords[index % sampleWords.length].slice(0, 6).toLowerCase(),
    })),
    ...districts.slice(0, 6).map((district, index) => ({ ...base, districtId: district.id, minCapacity: [20, 50, 100, 200][index % 4], pageSize: 3, page: 2 })),
  ];
});

afterAll(async () => {
  await prisma.$disconnect();
});

describe('catalog search', () => {
  const paths: [string, (search: VenueSearch) => Promise<unknown>][] = [
    ['the service (snapshot, SQL for LIKE wildcards)', (search) => createCatalogService(prisma).searchVenues(search)],
    ['the service with the snapshot off', (search) => createCatalogService(prisma, { searchSnapshotMaxAgeMs: 0 }).searchVenues(search)],
    ['the single SQL statement', (search) => searchVenuesSql(prisma, search)],
  ];

  it.each(paths)('when %s is asked each of many filter sets, then the page and total equal those of the former Prisma queries', async (_name, searchWith) => {
    let nonEmpty = 0;
    for (const search of searches) {
      const [actual, expected] = await Promise.all([searchWith(search), referenceSearch(prisma, search)]);
      expect({ search, result: actual }).toEqual({ search, result: expected });
      // Same keys in the same order, so the JSON text is the same too.
      expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      if ((actual as { items: unknown[] }).items.length > 0) nonEmpty += 1;
    }
    // The sample must exercise real pages, not only empty ones.
    expect(nonEmpty).toBeGreaterThan(searches.length / 2);
  });

  it('when a page lies past the last one, then it is empty and still reports the real total', async () => {
    for (const searchWith of [createCatalogService(prisma).searchVenues, (search: VenueSearch) => searchVenuesSql(prisma, search)]) {
      const all = await searchWith({ page: 1, pageSize: 1 });
      const beyond = await searchWith({ page: 100_000, pageSize: 100 });
      expect(beyond).toEqual({ items: [], total: all.total, page: 100_000, pageSize: 100 });
      expect(all.total).toBe(await prisma.venue.count());
    }
  });
});

describe('the search snapshot', () => {
  let database: TestDatabase;
  let own: PrismaClient;
  let nextId = 1;

  const addVenue = (name: string) =>
    own.venue.create({
      data: { id: nextId++, districtId: 1, name, address: 'г. Дмитров', description: '', phone: '+7 (496) 000-00-00', searchText: venueSearchText({ name, address: 'г. Дмитров' }, '') },
    });

  beforeAll(async () => {
    database = await createThrowawayDatabase('catalog_snapshot');
    await applyMigrations(database.url);
    own = createPrismaClient(database.url);
    await own.district.create({ data: { id: 1, name: 'Дмитровский', slug: 'dmitrovsky' } });
    await addVenue('ДК «Октябрь»');
  });

  afterAll(async () => {
    await own?.$disconnect();
    await database?.drop();
  });

  it('when the catalog changes, then searches see it once the snapshot is past half its age, and never answer from one older than the bound', async () => {
    let clock = 1_000_000;
    const snapshot = createCatalogSnapshot(own, { maxAgeMs: 10_000, now: () => clock });
    const names = async () => (await snapshot.search({ page: 1, pageSize: 10 }))!.items.map((venue) => venue.name);

    expect(await names()).toEqual(['ДК «Октябрь»']);
    await addVenue('ДК «Заря»');

    clock += 5_000; // within half the bound: the snapshot as loaded
    expect(await names()).toEqual(['ДК «Октябрь»']);

    clock += 1; // past half: answered from the current snapshot while a reload starts
    expect(await names()).toEqual(['ДК «Октябрь»']);
    await waitFor(async () => (await names()).length === 2, { timeoutMs: 10_000, intervalMs: 20, description: 'the background reload to bring the new venue' });
    expect(await names()).toEqual(['ДК «Заря»', 'ДК «Октябрь»']);

    await addVenue('ДК «Юность»');
    clock += 10_001; // past the bound: the search waits for a fresh load
    expect(await names()).toEqual(['ДК «Заря»', 'ДК «Октябрь»', 'ДК «Юность»']);
  });

  it('when the text holds a LIKE wildcard or what PostgreSQL refuses, then the snapshot declines and leaves it to the database', async () => {
    const snapshot = createCatalogSnapshot(own, { maxAgeMs: 10_000 });
    for (const text of ['%', '_', 'а\\', 'a\u0000b']) expect(await snapshot.search({ text, page: 1, pageSize: 10 })).toBeUndefined();
    // An unpaired surrogate is no letter: a word break, the same in both paths.
    const broken = { text: '\ud800октябр', page: 1, pageSize: 10 };
    expect(await snapshot.search(broken)).toMatchObject({ total: 1 });
    expect(await snapshot.search(broken)).toEqual(await searchVenuesSql(own, broken));
    expect(await snapshot.search({ text: 'октябр', page: 1, pageSize: 10 })).toMatchObject({ total: 1 });
  });
});

describe('GET /api/venues', () => {
  const testApp = useTestApp();

  it('when called with the query parameters, then the body is exactly the former JSON', async () => {
    const district = await prisma.district.findFirstOrThrow({ where: { name: 'Дмитровский' } });
    const cases: [Record<string, string | number>, VenueSearch][] = [
      [{}, { page: 1, pageSize: 20 }],
      [{ q: 'КУЛЬТУР', page: 2, pageSize: 7 }, { text: 'КУЛЬТУР', page: 2, pageSize: 7 }],
      [{ district: district.id, minCapacity: 50 }, { districtId: district.id, minCapacity: 50, page: 1, pageSize: 20 }],
      [{ addOn: 'MUSIC_RECORDING', minCapacity: 20, page: 2 }, { addOn: 'MUSIC_RECORDING', minCapacity: 20, page: 2, pageSize: 20 }],
    ];
    for (const [query, search] of cases) {
      const response = await request(testApp().app).get('/api/venues').query(query).expect(200);
      expect(response.text).toBe(JSON.stringify(await referenceSearch(prisma, search)));
    }
  });
});
