import { randomInt, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/db/client';
import type { Actor } from '../../src/domain/actor';
import { ADDON_CODES, ADDON_NAME_RU } from '../../src/domain/addons';

/**
 * A small catalog of its own inside the test file's private database: two districts, a venue
 * each, rooms open around the clock, staff and residents. Every test books its own room, so
 * slots never collide between tests.
 */
export interface BookingFixtures {
  districtId: number;
  otherDistrictId: number;
  venueId: number;
  resident: Actor & { email: string };
  otherResident: Actor & { email: string };
  operator: Actor & { email: string };
  otherOperator: Actor & { email: string };
  admin: Actor & { email: string };
  /** A fresh room in the main venue (capacity 50, 1 000 ₽/h, open 24/7). */
  newRoom(): Promise<number>;
  newResident(): Promise<Actor & { email: string }>;
}

let nextId = randomInt(1_000, 900_000) * 100;

export async function createBookingFixtures(prisma: PrismaClient): Promise<BookingFixtures> {
  await prisma.addOnService.createMany({
    data: ADDON_CODES.map((code) => ({ code, nameRu: ADDON_NAME_RU[code], nameEn: code, descriptionRu: '', descriptionEn: '' })),
    skipDuplicates: true,
  });
  const districtId = ++nextId;
  const otherDistrictId = ++nextId;
  await prisma.district.createMany({
    data: [
      { id: districtId, name: `Тестовый округ ${districtId}`, slug: `test-${districtId}` },
      { id: otherDistrictId, name: `Другой округ ${otherDistrictId}`, slug: `test-${otherDistrictId}` },
    ],
  });
  const venueId = ++nextId;
  await prisma.venue.create({
    data: { id: venueId, districtId, name: 'ДК «Тестовый»', address: 'г. Тестовск, ул. Ленина, 1', description: '', phone: '+74950000000' },
  });
  await prisma.venueAddOn.createMany({
    data: [
      { venueId, code: 'TECH_SUPPORT', price: 500_000 },
      { venueId, code: 'CATERING', price: 1_500_000 },
      { venueId, code: 'TURNKEY_DECOR', price: 2_000_000 },
    ],
  });

  async function user(role: Actor['role'], districtIds: number[]): Promise<Actor & { email: string }> {
    const id = randomUUID();
    const email = `${role.toLowerCase()}.${id.slice(0, 8)}@example.test`;
    await prisma.user.create({ data: { id, email, role, fullName: `${role} ${id.slice(0, 4)}` } });
    if (role === 'OPERATOR') await prisma.operatorDistrict.createMany({ data: districtIds.map((districtId) => ({ userId: id, districtId })) });
    return { id, role, districtIds, email };
  }

  return {
    districtId,
    otherDistrictId,
    venueId,
    resident: await user('RESIDENT', []),
    otherResident: await user('RESIDENT', []),
    operator: await user('OPERATOR', [districtId]),
    otherOperator: await user('OPERATOR', [otherDistrictId]),
    admin: await user('ADMIN', []),
    async newRoom() {
      const id = ++nextId;
      await prisma.room.create({
        data: {
          id,
          venueId,
          name: `Зал №${id}`,
          kind: 'SMALL_HALL',
          capacity: 50,
          areaSqm: 80,
          equipment: ['проектор'],
          opensAtMinute: 0,
          closesAtMinute: 1440,
          openWeekdays: [1, 2, 3, 4, 5, 6, 7],
          pricePerHour: 100_000,
        },
      });
      return id;
    },
    newResident: () => user('RESIDENT', []),
  };
}
