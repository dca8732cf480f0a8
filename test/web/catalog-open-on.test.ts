import { createPrismaClient, type PrismaClient } from '../../src/db/client';
import { isoWeekdayOf } from '../../src/domain/moscow-time';
import { createCatalogService } from '../../src/venues/catalog-service';
import { testDatabaseUrl } from '../support/db';

/** The portal's date filter: venues with a room open on that Moscow weekday (seeded catalog). */
let prisma: PrismaClient;
beforeAll(() => {
  prisma = createPrismaClient(testDatabaseUrl());
});
afterAll(async () => {
  await prisma.$disconnect();
});

it('when venues are searched for a date, then each has a room open on that weekday, combined with the capacity filter', async () => {
  const catalog = createCatalogService(prisma);
  const sunday = '2026-12-27';
  expect(isoWeekdayOf(sunday)).toBe(7);
  const all = await catalog.searchVenues({ page: 1, pageSize: 1 });
  const open = await catalog.searchVenues({ openOn: sunday, minCapacity: 100, page: 1, pageSize: 40 });
  expect(open.total).toBeGreaterThan(0);
  expect(open.total).toBeLessThanOrEqual(all.total);
  for (const venue of open.items) {
    const rooms = await prisma.room.findMany({ where: { venueId: venue.id, capacity: { gte: 100 }, openWeekdays: { has: 7 } } });
    expect(rooms.length).toBeGreaterThan(0);
  }
});
