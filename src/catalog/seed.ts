import { venueSearchText } from '../venues/search-key';
import type { PrismaClient, Role } from '../db/client';
import { generateCatalog, type Catalog } from './generate';

/**
 * Loads the generated catalog and the staff accounts into the database. Idempotent and safe to
 * run from several processes at once: every insert is `createMany({ skipDuplicates: true })`
 * (INSERT … ON CONFLICT DO NOTHING), keyed by the catalog's stable ids, so a second run inserts
 * nothing and existing rows are never overwritten. Because pushing ~10,000 rows through the
 * client takes a couple of seconds even when all are skipped, a cheap count check skips the
 * catalog entirely when it is already complete.
 */

export interface SeedOptions {
  log?: (message: string) => void;
  /** Accounts to make staff; defaults to the demo accounts (STAFF_USERS). */
  staff?: readonly StaffUser[];
  /** `staff` names every administrator: any other administrator account becomes a resident. */
  onlyListedAdmins?: boolean;
  /** Operator accounts to make residents again: the demo operators once SEED_DEMO_STAFF is off. */
  retiredOperators?: readonly string[];
  /** Defaults to the standard catalog (DEFAULT_CATALOG_SEED). */
  catalog?: Catalog;
}

export interface SeedSummary {
  districts: number;
  venues: number;
  rooms: number;
}

export interface StaffUser {
  email: string;
  role: Role;
  fullName: string;
  /** District names the operator works for; 'all' for every district. */
  districts?: 'all' | string[];
}

export const STAFF_USERS: readonly StaffUser[] = [
  { email: 'admin@opendk.test', role: 'ADMIN', fullName: 'Администратор «Открытого ДК»' },
  { email: 'operator@opendk.test', role: 'OPERATOR', fullName: 'Оператор (все округа)', districts: 'all' },
  {
    email: 'operator.dmitrov@opendk.test',
    role: 'OPERATOR',
    fullName: 'Оператор Дмитровского округа',
    districts: ['Дмитровский'],
  },
];

/** Rows per INSERT: stays far below PostgreSQL's 65,535 bind parameters for the widest table. */
const CHUNK_SIZE = 1000;

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<{ count: number }>): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += CHUNK_SIZE) {
    inserted += (await insert(rows.slice(start, start + CHUNK_SIZE))).count;
  }
  return inserted;
}

export async function seedDatabase(prisma: PrismaClient, options: SeedOptions = {}): Promise<SeedSummary> {
  const log = options.log ?? (() => undefined);
  const catalog = options.catalog ?? generateCatalog();

  if (await catalogIsComplete(prisma, catalog)) {
    log(`Catalog v${catalog.version} (seed ${catalog.seed}) is already loaded.`);
    await refreshSearchText(prisma, catalog, log);
  } else {
    await insertCatalog(prisma, catalog, log);
  }
  await seedStaff(prisma, catalog, options.staff ?? STAFF_USERS, log);
  if (options.onlyListedAdmins) await revokeUnlistedAdmins(prisma, options.staff ?? STAFF_USERS, log);
  if (options.retiredOperators?.length) await retireOperators(prisma, options.retiredOperators, log);

  const [districts, venues, rooms] = await Promise.all([
    prisma.district.count(),
    prisma.venue.count(),
    prisma.room.count(),
  ]);
  return { districts, venues, rooms };
}

/**
 * Catalog ids run 1..N, so "N rows whose largest id is N" means every id is present. Rows are
 * never updated by the seed, so this is exactly what a full insert pass would leave behind.
 */
async function catalogIsComplete(prisma: PrismaClient, catalog: Catalog): Promise<boolean> {
  const [districts, venues, rooms, venueAddOns, addOnServices] = await Promise.all([
    prisma.district.aggregate({ _count: { id: true }, _max: { id: true } }),
    prisma.venue.aggregate({ _count: { id: true }, _max: { id: true } }),
    prisma.room.aggregate({ _count: { id: true }, _max: { id: true } }),
    prisma.venueAddOn.count(),
    prisma.addOnService.count(),
  ]);
  const complete = (found: { _count: { id: number }; _max: { id: number | null } }, expected: number) =>
    found._count.id === expected && found._max.id === expected;
  return (
    complete(districts, catalog.districts.length) &&
    complete(venues, catalog.venues.length) &&
    complete(rooms, catalog.rooms.length) &&
    venueAddOns === catalog.venueAddOns.length &&
    addOnServices === catalog.addOnServices.length
  );
}

function searchTextOf(catalog: Catalog, venue: Catalog['venues'][number]): string {
  const district = catalog.districts.find((candidate) => candidate.id === venue.districtId);
  return venueSearchText(venue, district?.name ?? '');
}

/**
 * A catalog loaded before the search text changed its form (searchKey, venueSearchText) gets the
 * new one: one statement, writing only the rows that differ, so a current catalog costs a read.
 */
async function refreshSearchText(prisma: PrismaClient, catalog: Catalog, log: (message: string) => void): Promise<void> {
  const ids = catalog.venues.map((venue) => venue.id);
  const texts = catalog.venues.map((venue) => searchTextOf(catalog, venue));
  const updated = await prisma.$executeRaw`
    UPDATE venues v SET search_text = t.search_text
      FROM unnest(${ids}::int[], ${texts}::text[]) AS t(id, search_text)
     WHERE v.id = t.id AND v.search_text IS DISTINCT FROM t.search_text`;
  if (updated > 0) log(`Search text of ${updated} venues brought up to date.`);
}

async function insertCatalog(prisma: PrismaClient, catalog: Catalog, log: (message: string) => void): Promise<void> {
  // Parents before children, so foreign keys hold after every statement.
  const inserted = {
    addOnServices: await prisma.addOnService.createMany({ data: catalog.addOnServices, skipDuplicates: true }),
    districts: await prisma.district.createMany({ data: catalog.districts, skipDuplicates: true }),
    venues: await insertInChunks(
      catalog.venues.map((venue) => ({ ...venue, searchText: searchTextOf(catalog, venue) })),
      (data) => prisma.venue.createMany({ data, skipDuplicates: true }),
    ),
    rooms: await insertInChunks(catalog.rooms, (data) => prisma.room.createMany({ data, skipDuplicates: true })),
    venueAddOns: await insertInChunks(catalog.venueAddOns, (data) =>
      prisma.venueAddOn.createMany({ data, skipDuplicates: true }),
    ),
  };
  log(
    `Catalog v${catalog.version} (seed ${catalog.seed}): inserted ${inserted.districts.count} districts, ` +
      `${inserted.venues} venues, ${inserted.rooms} rooms, ${inserted.venueAddOns} venue add-ons, ` +
      `${inserted.addOnServices.count} add-on services.`,
  );
}

/**
 * What the seed does with a deployment's staff settings. With ADMIN_EMAILS set, the list is the
 * whole truth about administrators: an address taken off it (or the demo administrator, once
 * SEED_DEMO_STAFF is off) loses the role at the next set-up. Without it nobody is demoted, so a
 * deployment that never named its administrators does not lock them out. The demo operators go
 * once SEED_DEMO_STAFF is off: real operators are appointed on the staff page.
 */
export function staffSeedOptions(config: { demoAccounts: boolean; adminEmails: string[] }): Pick<SeedOptions, 'staff' | 'onlyListedAdmins' | 'retiredOperators'> {
  const demoOperators = STAFF_USERS.filter((user) => user.role === 'OPERATOR').map((user) => user.email);
  return { staff: configuredStaff(config), onlyListedAdmins: config.adminEmails.length > 0, retiredOperators: config.demoAccounts ? [] : demoOperators };
}

/** The staff a deployment's configuration asks for: the demo accounts, if wanted, and its administrators. */
export function configuredStaff(config: { demoAccounts: boolean; adminEmails: string[] }): StaffUser[] {
  const demo = config.demoAccounts ? STAFF_USERS : [];
  const admins = config.adminEmails
    .filter((email) => !demo.some((user) => user.email === email))
    .map((email): StaffUser => ({ email, role: 'ADMIN', fullName: 'Администратор' }));
  return [...demo, ...admins];
}

async function revokeUnlistedAdmins(prisma: PrismaClient, staffUsers: readonly StaffUser[], log: (message: string) => void): Promise<void> {
  const listed = staffUsers.filter((user) => user.role === 'ADMIN').map((user) => user.email);
  const { count } = await prisma.user.updateMany({ where: { role: 'ADMIN', email: { notIn: listed } }, data: { role: 'RESIDENT' } });
  // The count only: the addresses are people's.
  if (count > 0) log(`Staff: ${count} administrator account(s) not in ADMIN_EMAILS are residents now.`);
}

async function retireOperators(prisma: PrismaClient, emails: readonly string[], log: (message: string) => void): Promise<void> {
  const retired = await prisma.$transaction([
    prisma.operatorDistrict.deleteMany({ where: { user: { email: { in: [...emails] }, role: 'OPERATOR' } } }),
    prisma.user.updateMany({ where: { email: { in: [...emails] }, role: 'OPERATOR' }, data: { role: 'RESIDENT' } }),
  ]);
  if (retired[1].count > 0) log(`Staff: ${retired[1].count} demo operator account(s) are residents now (SEED_DEMO_STAFF is off).`);
}

async function seedStaff(prisma: PrismaClient, catalog: Catalog, staffUsers: readonly StaffUser[], log: (message: string) => void): Promise<void> {
  if (staffUsers.length === 0) return log('Staff: none asked for (SEED_DEMO_STAFF, ADMIN_EMAILS).');
  const created = await prisma.user.createMany({
    data: staffUsers.map(({ email, role, fullName }) => ({ email, role, fullName })),
    skipDuplicates: true,
  });
  const users = await prisma.user.findMany({
    where: { email: { in: staffUsers.map((user) => user.email) } },
    select: { id: true, email: true, role: true },
  });
  const idByEmail = new Map(users.map((user) => [user.email, user.id]));

  // An account that signed in before the seed ran exists as a resident: give it its staff role.
  for (const staff of staffUsers) {
    const existing = users.find((user) => user.email === staff.email);
    if (existing && existing.role !== staff.role) {
      await prisma.user.update({ where: { id: existing.id }, data: { role: staff.role } });
      // An operator named an administrator keeps no districts: they would come back with the
      // operator role if the address ever left ADMIN_EMAILS.
      if (staff.role !== 'OPERATOR') await prisma.operatorDistrict.deleteMany({ where: { userId: existing.id } });
    }
  }

  const districtIdByName = new Map(catalog.districts.map((district) => [district.name, district.id]));
  const assignments = staffUsers.flatMap((staff) => {
    if (!staff.districts) return [];
    const names = staff.districts === 'all' ? catalog.districts.map((district) => district.name) : staff.districts;
    return names.map((name) => {
      const districtId = districtIdByName.get(name);
      if (districtId === undefined) throw new Error(`Unknown district "${name}" for ${staff.email}`);
      return { userId: idByEmail.get(staff.email)!, districtId };
    });
  });
  const assigned = await prisma.operatorDistrict.createMany({ data: assignments, skipDuplicates: true });
  log(`Staff: ${created.count} accounts and ${assigned.count} operator districts inserted.`);
}
