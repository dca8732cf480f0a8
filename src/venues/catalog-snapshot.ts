import type { PrismaClient } from '../db/client';
import type { AddOnCode } from '../domain/addons';
import { isoWeekdayOf } from '../domain/moscow-time';
import { searchWords } from './search-key';
import type { VenueSearch, VenueSearchResult, VenueSummary } from './venue-search';

/**
 * The searchable part of the catalog (venues, their rooms' capacities and weekdays, add-on
 * codes) held in memory, so a search is a filter over ~1,300 objects instead of a query.
 *
 * Staleness bound: a search is never answered from a snapshot whose load began more than
 * `maxAgeMs` ago. Past half of that age the next search starts a reload in the background and is
 * still answered from the current snapshot; past the full age searches wait for a fresh load (and
 * fail, as the SQL path would, when the database cannot answer). The catalog is written only by
 * the seed (src/catalog/seed.ts), so in practice the snapshot changes only after a re-seed.
 *
 * Text matching is PostgreSQL's `search_text LIKE '%' || word || '%'` for each word: for words
 * without LIKE's special characters that is plain substring containment, which is what is done
 * here; a text with
 * `%`, `_` or `\`, or with a NUL, which PostgreSQL refuses, is not answered
 * from the snapshot (`search` returns undefined) so the caller asks the database, keeping the
 * former answers and errors exactly. Order is the database's own: venues are
 * loaded sorted by name, then id, under the column's collation, and filtering keeps that order.
 */
export interface CatalogSnapshotOptions {
  maxAgeMs: number;
  now?: () => number;
}

interface SnapshotVenue {
  searchText: string;
  districtId: number;
  rooms: { capacity: number; openWeekdays: number[] }[];
  addOns: readonly AddOnCode[];
  summary: VenueSummary;
}

interface Snapshot {
  loadedAt: number;
  venues: SnapshotVenue[];
}

/** LIKE's own characters, and NUL, which PostgreSQL refuses in text (searchWords drops unpaired surrogates as word breaks). */
const FOR_THE_DATABASE = /[%_\\\u0000]/;

export function createCatalogSnapshot(prisma: PrismaClient, options: CatalogSnapshotOptions) {
  const now = options.now ?? Date.now;
  let current: Snapshot | undefined;
  let loading: Promise<Snapshot> | undefined;

  async function load(): Promise<Snapshot> {
    const loadedAt = now();
    const venues = await prisma.venue.findMany({
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      select: {
        id: true,
        name: true,
        address: true,
        searchText: true,
        districtId: true,
        district: { select: { id: true, name: true } },
        rooms: { select: { capacity: true, openWeekdays: true } },
        addOns: { select: { code: true } },
      },
    });
    return {
      loadedAt,
      venues: venues.map((venue) => {
        const addOns = venue.addOns.map((addOn) => addOn.code).sort();
        return {
          searchText: venue.searchText,
          districtId: venue.districtId,
          rooms: venue.rooms,
          addOns,
          // Shared by every answer, so frozen: a caller cannot change the snapshot by accident.
          summary: Object.freeze({
            id: venue.id,
            name: venue.name,
            address: venue.address,
            district: Object.freeze(venue.district),
            roomCount: venue.rooms.length,
            maxCapacity: Math.max(0, ...venue.rooms.map((room) => room.capacity)),
            addOns: Object.freeze(addOns) as AddOnCode[],
          }),
        };
      }),
    };
  }

  /** One load at a time; every caller waiting on it shares its outcome. */
  function reload(): Promise<Snapshot> {
    loading ??= load()
      .then((snapshot) => {
        if (!current || snapshot.loadedAt >= current.loadedAt) current = snapshot;
        return snapshot;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  async function fresh(): Promise<Snapshot> {
    const age = current ? now() - current.loadedAt : Infinity;
    if (current && age <= options.maxAgeMs) {
      // Refresh ahead; a failure here only means the next search past maxAgeMs loads again.
      if (age > options.maxAgeMs / 2) reload().catch(() => undefined);
      return current;
    }
    return reload();
  }

  /** The page and total for `search`, or undefined when the text is for the database's LIKE. */
  async function search(search: VenueSearch): Promise<VenueSearchResult | undefined> {
    const words = search.text ? searchWords(search.text) : [];
    if (words.some((word) => FOR_THE_DATABASE.test(word))) return undefined;
    const { venues } = await fresh();
    const weekday = search.openOn !== undefined ? isoWeekdayOf(search.openOn) : undefined;
    const { minCapacity, districtId, addOn } = search;
    const roomFilter = minCapacity !== undefined || weekday !== undefined;
    const skip = (search.page - 1) * search.pageSize;
    const items: VenueSummary[] = [];
    let total = 0;
    for (const venue of venues) {
      if (districtId !== undefined && venue.districtId !== districtId) continue;
      if (!words.every((word) => venue.searchText.includes(word))) continue;
      if (addOn && !venue.addOns.includes(addOn)) continue;
      if (
        roomFilter &&
        !venue.rooms.some(
          (room) => (minCapacity === undefined || room.capacity >= minCapacity) && (weekday === undefined || (room.openWeekdays?.includes(weekday) ?? false)),
        )
      ) {
        continue;
      }
      if (total >= skip && items.length < search.pageSize) items.push(venue.summary);
      total += 1;
    }
    return { items, total, page: search.page, pageSize: search.pageSize };
  }

  return { search };
}

export type CatalogSnapshot = ReturnType<typeof createCatalogSnapshot>;
