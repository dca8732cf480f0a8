import type { PrismaClient } from '../db/client';
import { searchKey } from './search-key';
import { isoWeekdayOf, moscowInstant, toMoscowIso, VENUE_TIME_ZONE } from '../domain/moscow-time';

import type { AddOnCode } from '../domain/addons';

export interface VenueSearch {
  districtId?: number;
  text?: string;
  minCapacity?: number;
  addOn?: AddOnCode;
  /** A Moscow calendar date (YYYY-MM-DD): only venues with a room open on that weekday. */
  openOn?: string;
  page: number;
  pageSize: number;
}

export interface TimeRange {
  start: string;
  end: string;
}

/** Reads of the catalog. Knows nothing of HTTP; `undefined` means "no such thing". */
export function createCatalogService(prisma: PrismaClient) {
  async function listDistricts() {
    const districts = await prisma.district.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { venues: true } } } });
    return districts.map((district) => ({ id: district.id, name: district.name, slug: district.slug, venueCount: district._count.venues }));
  }

  async function searchVenues(search: VenueSearch) {
    const text = search.text ? searchKey(search.text) : '';
    const where = {
      ...(search.districtId !== undefined ? { districtId: search.districtId } : {}),
      ...(text ? { searchText: { contains: text } } : {}),
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

  async function getVenue(id: number) {
    const venue = await prisma.venue.findUnique({
      where: { id },
      include: {
        district: { select: { id: true, name: true } },
        rooms: { orderBy: { id: 'asc' } },
        addOns: { include: { service: true }, orderBy: { code: 'asc' } },
      },
    });
    if (!venue) return undefined;
    return {
      id: venue.id,
      name: venue.name,
      address: venue.address,
      description: venue.description,
      phone: venue.phone,
      district: venue.district,
      timeZone: VENUE_TIME_ZONE,
      rooms: venue.rooms.map((room) => ({
        id: room.id,
        name: room.name,
        kind: room.kind,
        capacity: room.capacity,
        areaSqm: room.areaSqm,
        equipment: room.equipment,
        openingHours: { opens: minutesToClock(room.opensAtMinute), closes: minutesToClock(room.closesAtMinute), weekdays: room.openWeekdays },
        pricePerHour: room.pricePerHour,
      })),
      addOns: venue.addOns.map((addOn) => ({
        code: addOn.code,
        name: addOn.service.nameRu,
        nameEn: addOn.service.nameEn,
        description: addOn.service.descriptionRu,
        price: addOn.price,
      })),
    };
  }

  /** Opening hours of a room on a Moscow calendar day, and the active holds within them. */
  async function roomAvailability(roomId: number, date: string) {
    const room = await prisma.room.findUnique({ where: { id: roomId } });
    if (!room) return undefined;
    const dayStart = moscowInstant(date, 0);
    const dayEnd = moscowInstant(date, 24 * 60);
    const open: TimeRange[] = room.openWeekdays.includes(isoWeekdayOf(date))
      ? [{ start: toMoscowIso(moscowInstant(date, room.opensAtMinute)), end: toMoscowIso(moscowInstant(date, room.closesAtMinute)) }]
      : [];
    const holds = await prisma.slotHold.findMany({
      where: { roomId, active: true, startsAt: { lt: dayEnd }, endsAt: { gt: dayStart } },
      orderBy: { startsAt: 'asc' },
      select: { startsAt: true, endsAt: true },
    });
    const busy = holds.map((hold) => ({ start: toMoscowIso(hold.startsAt), end: toMoscowIso(hold.endsAt) }));
    return { roomId, date, timeZone: VENUE_TIME_ZONE, open, busy };
  }

  return { listDistricts, searchVenues, getVenue, roomAvailability };
}

export type CatalogService = ReturnType<typeof createCatalogService>;

function minutesToClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
