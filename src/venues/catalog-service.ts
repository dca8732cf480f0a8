import type { PrismaClient } from '../db/client';
import { createCatalogSnapshot } from './catalog-snapshot';
import { searchVenuesSql, type VenueSearch, type VenueSearchResult } from './venue-search';
import { VENUE_TIME_ZONE } from '../domain/moscow-time';
import { createAvailabilityBatcher, type RoomAvailability } from './room-availability';

export type { VenueSearch } from './venue-search';

export type { RoomAvailability, TimeRange } from './room-availability';

export interface CatalogServiceOptions {
  /**
   * Venue search answers from an in-memory snapshot at most this old (see catalog-snapshot.ts);
   * 0 sends every search to the database. Default 30 s.
   */
  searchSnapshotMaxAgeMs?: number;
}

export const DEFAULT_SEARCH_SNAPSHOT_MAX_AGE_MS = 30_000;

/** Reads of the catalog. Knows nothing of HTTP; `undefined` means "no such thing". */
export function createCatalogService(prisma: PrismaClient, options: CatalogServiceOptions = {}) {
  const maxAgeMs = options.searchSnapshotMaxAgeMs ?? DEFAULT_SEARCH_SNAPSHOT_MAX_AGE_MS;
  const snapshot = maxAgeMs > 0 ? createCatalogSnapshot(prisma, { maxAgeMs }) : undefined;

  async function listDistricts() {
    const districts = await prisma.district.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { venues: true } } } });
    return districts.map((district) => ({ id: district.id, name: district.name, slug: district.slug, venueCount: district._count.venues }));
  }

  /**
   * One page of venues matching the filters, with the total: from the snapshot, or else one SQL
   * statement (venue-search.ts). Both give what the former Prisma queries gave.
   */
  async function searchVenues(search: VenueSearch): Promise<VenueSearchResult> {
    return (await snapshot?.search(search)) ?? searchVenuesSql(prisma, search);
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
        descriptionEn: addOn.service.descriptionEn,
        price: addOn.price,
      })),
    };
  }

  /**
   * Opening hours of a room on a Moscow calendar day, and the active holds within them: always
   * read from the database, never from a cache; the requests of one event-loop turn share one SQL
   * statement (room-availability.ts).
   */
  const roomAvailability: (roomId: number, date: string) => Promise<RoomAvailability | undefined> = createAvailabilityBatcher(prisma);

  return { listDistricts, searchVenues, getVenue, roomAvailability };
}

export type CatalogService = ReturnType<typeof createCatalogService>;

function minutesToClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
