import { venueSearchText } from '../venues/search-key';
import { createPrismaClient, type PrismaClient } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { createThrowawayDatabase, type TestDatabase } from '../../test/support/db';
import { generateCatalog } from './generate';
import { configuredStaff, seedDatabase, staffSeedOptions, type SeedSummary } from './seed';

describe('seedDatabase', () => {
  const catalog = generateCatalog();
  let database: TestDatabase;
  let prisma: PrismaClient;
  let first: SeedSummary;

  /** Per table the number of rows and a digest of their versions (xmin, ctid): any insert, update or delete changes it. */
  async function rowVersions(): Promise<Record<string, string>> {
    const versions: Record<string, string> = {};
    for (const table of ['districts', 'venues', 'rooms', 'addon_services', 'venue_addons', 'users', 'operator_districts']) {
      const [row] = await prisma.$queryRawUnsafe<{ rows: number; digest: string | null }[]>(
        `SELECT count(*)::int AS rows, md5(string_agg(ctid::text || '@' || xmin::text, ',' ORDER BY ctid)) AS digest FROM ${table}`,
      );
      versions[table] = `${row.rows} rows, ${row.digest}`;
    }
    return versions;
  }

  beforeAll(async () => {
    database = await createThrowawayDatabase('seed');
    await applyMigrations(database.url);
    prisma = createPrismaClient(database.url);
    first = await seedDatabase(prisma);
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  test('when seeding an empty database, then the whole catalog is loaded', async () => {
    expect(first).toEqual({
      districts: catalog.districts.length,
      venues: catalog.venues.length,
      rooms: catalog.rooms.length,
    });
    expect(await prisma.venueAddOn.count()).toBe(catalog.venueAddOns.length);
    expect(await prisma.addOnService.count()).toBe(5);
  });

  test('when seeding a second time, then it writes nothing and reports the same counts', async () => {
    // Seeded once here with the default staff, so what other tests changed does not count.
    await seedDatabase(prisma);
    const before = await rowVersions();
    const messages: string[] = [];
    await expect(seedDatabase(prisma, { log: (message) => messages.push(message) })).resolves.toEqual(first);
    expect(await rowVersions()).toEqual(before);
    expect(messages).toEqual([expect.stringMatching(/is already loaded\.$/), 'Staff: 0 accounts and 0 operator districts inserted.']);
  });

  test('when seeded, then rows match the generated catalog, arrays and Russian text included', async () => {
    const room = await prisma.room.findUniqueOrThrow({ where: { id: 1 } });
    const { id, ...expected } = catalog.rooms[0];
    expect(room).toMatchObject({ id, ...expected });
    const venue = await prisma.venue.findUniqueOrThrow({ where: { id: catalog.venues.length } });
    const { searchText, ...stored } = venue;
    expect(stored).toEqual(catalog.venues[catalog.venues.length - 1]);
    const district = catalog.districts.find((candidate) => candidate.id === stored.districtId)!;
    expect(searchText).toBe(venueSearchText(stored, district.name));
  });

  test('when a catalog was loaded with an older form of the search text, then seeding again brings it up to date and leaves the rest alone', async () => {
    await prisma.venue.updateMany({ where: { id: { in: [1, 2] } }, data: { searchText: 'старый вид' } });
    await seedDatabase(prisma);
    const venues = await prisma.venue.findMany({ where: { id: { in: [1, 2] } }, include: { district: true }, orderBy: { id: 'asc' } });
    expect(venues.map((venue) => venue.searchText)).toEqual(venues.map((venue) => venueSearchText(venue, venue.district.name)));
  });

  test('when seeded, then the administrator and the region-wide operator exist with their roles', async () => {
    const admin = await prisma.user.findUniqueOrThrow({ where: { email: 'admin@opendk.test' } });
    expect(admin.role).toBe('ADMIN');
    const operator = await prisma.user.findUniqueOrThrow({
      where: { email: 'operator@opendk.test' },
      include: { operatorDistricts: true },
    });
    expect(operator.role).toBe('OPERATOR');
    expect(operator.operatorDistricts.map((row) => row.districtId).sort((a, b) => a - b)).toEqual(
      catalog.districts.map((district) => district.id),
    );
  });

  test('when seeded, then the Dmitrov operator works for Дмитровский only', async () => {
    const operator = await prisma.user.findUniqueOrThrow({
      where: { email: 'operator.dmitrov@opendk.test' },
      include: { operatorDistricts: { include: { district: true } } },
    });
    expect(operator.role).toBe('OPERATOR');
    expect(operator.operatorDistricts.map((row) => row.district.name)).toEqual(['Дмитровский']);
  });

  test('when a staff e-mail signed in as a resident before seeding, then seeding gives it the staff role', async () => {
    await prisma.user.update({ where: { email: 'admin@opendk.test' }, data: { role: 'RESIDENT' } });
    await seedDatabase(prisma);
    expect((await prisma.user.findUniqueOrThrow({ where: { email: 'admin@opendk.test' } })).role).toBe('ADMIN');
  });

  test('when a deployment asks for no demo staff but names administrators, then only those become staff', async () => {
    await prisma.user.create({ data: { email: 'signed.in.first@mosreg.example' } });
    await seedDatabase(prisma, { staff: configuredStaff({ demoAccounts: false, adminEmails: ['chief@mosreg.example', 'signed.in.first@mosreg.example'] }) });
    const staff = await prisma.user.findMany({ where: { email: { endsWith: '@mosreg.example' } }, select: { email: true, role: true }, orderBy: { email: 'asc' } });
    expect(staff).toEqual([
      { email: 'chief@mosreg.example', role: 'ADMIN' },
      { email: 'signed.in.first@mosreg.example', role: 'ADMIN' },
    ]);
    expect(configuredStaff({ demoAccounts: false, adminEmails: [] })).toEqual([]);
  });

  test('when ADMIN_EMAILS is set, then an administrator not on it (the demo one too, with demo staff off) becomes a resident; without it nobody is demoted', async () => {
    await seedDatabase(prisma, { staff: configuredStaff({ demoAccounts: true, adminEmails: ['former.chief@mosreg.example'] }) });
    await prisma.user.create({ data: { email: 'appointed.operator@mosreg.example', role: 'OPERATOR' } });
    const roleOf = async (email: string) => (await prisma.user.findUniqueOrThrow({ where: { email } })).role;
    expect(await roleOf('former.chief@mosreg.example')).toBe('ADMIN');
    expect(await roleOf('admin@opendk.test')).toBe('ADMIN');

    // Unset: nothing is taken back.
    await seedDatabase(prisma, staffSeedOptions({ demoAccounts: false, adminEmails: [] }));
    expect(await roleOf('former.chief@mosreg.example')).toBe('ADMIN');

    await seedDatabase(prisma, staffSeedOptions({ demoAccounts: false, adminEmails: ['chief@mosreg.example'] }));
    expect(await roleOf('chief@mosreg.example')).toBe('ADMIN');
    expect(await roleOf('former.chief@mosreg.example')).toBe('RESIDENT');
    expect(await roleOf('admin@opendk.test')).toBe('RESIDENT');
    // Operators are not administrators: untouched.
    expect(await roleOf('appointed.operator@mosreg.example')).toBe('OPERATOR');
  });

  test('when an appointed operator is named in ADMIN_EMAILS, then set-up makes them an administrator without districts', async () => {
    const district = await prisma.district.findFirstOrThrow();
    const { id } = await prisma.user.create({ data: { email: 'promoted.operator@mosreg.example', role: 'OPERATOR', operatorDistricts: { create: [{ districtId: district.id }] } } });
    await seedDatabase(prisma, staffSeedOptions({ demoAccounts: true, adminEmails: ['promoted.operator@mosreg.example'] }));
    expect(await prisma.user.findUniqueOrThrow({ where: { id }, select: { role: true, _count: { select: { operatorDistricts: true } } } })).toEqual({ role: 'ADMIN', _count: { operatorDistricts: 0 } });
  });

  test('when demo staff is turned off, then the demo operators become residents without districts, and come back when it is on again', async () => {
    const demoOperators = ['operator@opendk.test', 'operator.dmitrov@opendk.test'];
    const operatorState = () =>
      prisma.user.findMany({ where: { email: { in: demoOperators } }, select: { email: true, role: true, _count: { select: { operatorDistricts: true } } }, orderBy: { email: 'asc' } });
    await seedDatabase(prisma, staffSeedOptions({ demoAccounts: true, adminEmails: [] }));
    expect(await operatorState()).toEqual([
      { email: 'operator.dmitrov@opendk.test', role: 'OPERATOR', _count: { operatorDistricts: 1 } },
      { email: 'operator@opendk.test', role: 'OPERATOR', _count: { operatorDistricts: catalog.districts.length } },
    ]);

    await seedDatabase(prisma, staffSeedOptions({ demoAccounts: false, adminEmails: [] }));
    expect(await operatorState()).toEqual([
      { email: 'operator.dmitrov@opendk.test', role: 'RESIDENT', _count: { operatorDistricts: 0 } },
      { email: 'operator@opendk.test', role: 'RESIDENT', _count: { operatorDistricts: 0 } },
    ]);

    await seedDatabase(prisma, staffSeedOptions({ demoAccounts: true, adminEmails: [] }));
    expect((await operatorState()).map((user) => user.role)).toEqual(['OPERATOR', 'OPERATOR']);
  });
});
