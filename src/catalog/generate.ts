import type { AddOnCode, RoomKind } from '../db/client';
import { DISTRICTS, type DistrictSpec } from './districts';
import { createRandom, type Random } from './random';
import { ADD_ON_SERVICES, ROOM_KINDS, STREETS, VENUE_NAME_PATTERNS, VENUE_PROPER_NAMES } from './vocabulary';

/**
 * The deterministic venue catalog: the same seed always gives the same districts, venues, rooms
 * and add-ons with the same ids, so tests, demos and histories can refer to them. Pure: no I/O,
 * no clock, no Math.random. Changing the generator changes the catalog, so bump
 * CATALOG_VERSION with any change that alters its output.
 */

export const DEFAULT_CATALOG_SEED = 20261125;
export const CATALOG_VERSION = 1;

export interface CatalogDistrict {
  id: number;
  name: string;
  slug: string;
}

export interface CatalogVenue {
  id: number;
  districtId: number;
  name: string;
  address: string;
  description: string;
  phone: string;
}

export interface CatalogRoom {
  id: number;
  venueId: number;
  name: string;
  kind: RoomKind;
  capacity: number;
  areaSqm: number;
  equipment: string[];
  /** Minutes after local midnight, [opensAtMinute, closesAtMinute). */
  opensAtMinute: number;
  closesAtMinute: number;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  openWeekdays: number[];
  /** Kopecks. */
  pricePerHour: number;
}

export interface CatalogVenueAddOn {
  venueId: number;
  code: AddOnCode;
  /** Kopecks. */
  price: number;
}

export interface CatalogAddOnService {
  code: AddOnCode;
  nameRu: string;
  nameEn: string;
  descriptionRu: string;
  descriptionEn: string;
}

export interface Catalog {
  seed: number;
  version: number;
  districts: CatalogDistrict[];
  venues: CatalogVenue[];
  rooms: CatalogRoom[];
  venueAddOns: CatalogVenueAddOn[];
  addOnServices: CatalogAddOnService[];
}

const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];
/** Many houses of culture close on Monday; a few on Sunday. */
const WEEK_PATTERNS: readonly number[][] = [EVERY_DAY, EVERY_DAY, [2, 3, 4, 5, 6, 7], [2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6]];
const WEEKDAY_NAMES = ['', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье'];

const KIND_ORDER: readonly RoomKind[] = ['BIG_HALL', 'SMALL_HALL', 'DANCE_CLASS', 'RECORDING_STUDIO', 'CONFERENCE_ROOM', 'EXHIBITION_HALL', 'CLASSROOM'];

/** Rooms other than the main hall; the studio is only added to some venues (see below). */
const SECONDARY_KINDS: readonly RoomKind[] = ['SMALL_HALL', 'DANCE_CLASS', 'CONFERENCE_ROOM', 'EXHIBITION_HALL', 'CLASSROOM'];

const OPTIONAL_ADD_ONS: ReadonlyArray<[AddOnCode, number]> = [
  ['EVENT_ORGANIZATION', 0.6],
  ['CATERING', 0.4],
  ['TURNKEY_DECOR', 0.45],
];

export function generateCatalog(seed: number = DEFAULT_CATALOG_SEED): Catalog {
  const random = createRandom(seed);
  const catalog: Catalog = {
    seed,
    version: CATALOG_VERSION,
    districts: [],
    venues: [],
    rooms: [],
    venueAddOns: [],
    addOnServices: ADD_ON_SERVICES.map(({ code, nameRu, nameEn, descriptionRu, descriptionEn }) => ({
      code,
      nameRu,
      nameEn,
      descriptionRu,
      descriptionEn,
    })),
  };

  DISTRICTS.forEach((district, index) => {
    const districtId = index + 1;
    catalog.districts.push({ id: districtId, name: district.name, slug: district.slug });
    const names = venueNames(random, district.venueCount);
    const addresses = new Set<string>();
    for (const name of names) {
      addVenue(catalog, random, district, districtId, name, uniqueAddress(random, district, addresses));
    }
  });
  return catalog;
}

function addVenue(
  catalog: Catalog,
  random: Random,
  district: DistrictSpec,
  districtId: number,
  name: string,
  address: string,
): void {
  const venueId = catalog.venues.length + 1;
  const opensAt = random.pick([8 * 60, 9 * 60, 9 * 60, 10 * 60]);
  const closesAt = random.pick([20 * 60, 21 * 60, 22 * 60, 22 * 60]);
  const weekdays = random.pick(WEEK_PATTERNS);

  const kinds = roomKinds(random);
  const rooms = kinds.map((kind) => makeRoom(random, district, kind, opensAt, closesAt, weekdays));
  for (const room of rooms) catalog.rooms.push({ ...room, id: catalog.rooms.length + 1, venueId });

  for (const code of addOnCodes(random, kinds.includes('RECORDING_STUDIO'))) {
    const service = ADD_ON_SERVICES.find((candidate) => candidate.code === code)!;
    catalog.venueAddOns.push({ venueId, code, price: kopecks(random, service.priceRoubles, district.priceFactor, 100) });
  }

  catalog.venues.push({
    id: venueId,
    districtId,
    name,
    address,
    phone: phoneNumber(random, district),
    description: describeVenue(district, kinds, opensAt, closesAt, weekdays),
  });
}

/** Distinct «pattern + proper name» combinations, in random order. */
function venueNames(random: Random, count: number): string[] {
  const combinations = VENUE_NAME_PATTERNS.flatMap((pattern) =>
    VENUE_PROPER_NAMES.map((properName) => pattern.replace('%s', `«${properName}»`)),
  );
  // Each proper name at most once per district reads more naturally than «ДК «Мир»» next to «Клуб «Мир»».
  const usedProperNames = new Set<string>();
  const names: string[] = [];
  for (const candidate of random.shuffle(combinations)) {
    const properName = candidate.slice(candidate.indexOf('«'));
    if (usedProperNames.has(properName)) continue;
    usedProperNames.add(properName);
    names.push(candidate);
    if (names.length === count) return names;
  }
  throw new Error(`Not enough venue names for ${count} venues in one district`);
}

function uniqueAddress(random: Random, district: DistrictSpec, used: Set<string>): string {
  for (;;) {
    const house = `${random.int(1, 120)}${random.chance(0.1) ? random.pick(['А', 'Б', 'В']) : ''}`;
    const address = `Московская область, ${district.town}, ${random.pick(STREETS)}, д. ${house}`;
    if (!used.has(address)) {
      used.add(address);
      return address;
    }
  }
}

function phoneNumber(random: Random, district: DistrictSpec): string {
  const pair = () => String(random.int(0, 99)).padStart(2, '0');
  return `+7 (${district.phoneCode}) ${random.int(200, 799)}-${pair()}-${pair()}`;
}

/** 2–6 distinct kinds; a main hall first; a recording studio in about a fifth of venues. */
function roomKinds(random: Random): RoomKind[] {
  const main: RoomKind = random.chance(0.85) ? 'BIG_HALL' : 'SMALL_HALL';
  const pool = SECONDARY_KINDS.filter((kind) => kind !== main);
  if (random.chance(0.5)) pool.push('RECORDING_STUDIO');
  const others = random.sample(pool, random.int(1, 5));
  // Listed (and numbered) in the usual order of a venue's floor plan, not the order drawn.
  return [main, ...KIND_ORDER.filter((kind) => others.includes(kind))];
}

function makeRoom(
  random: Random,
  district: DistrictSpec,
  kind: RoomKind,
  venueOpensAt: number,
  venueClosesAt: number,
  weekdays: number[],
): Omit<CatalogRoom, 'id' | 'venueId'> {
  const spec = ROOM_KINDS[kind];
  const [minCapacity, maxCapacity] = spec.capacity;
  const capacity = random.stepped(minCapacity, maxCapacity, maxCapacity >= 150 ? 10 : 1);
  const [minArea, maxArea] = spec.areaPerSeat;
  const areaSqm = Math.round(capacity * (minArea + random.next() * (maxArea - minArea)));
  const chosen = new Set(random.sample(spec.equipment, random.int(2, spec.equipment.length)));
  // Some rooms close two hours before the building does (a teacher's shift, an exhibition).
  const earlyClose = random.chance(0.15) ? 120 : 0;
  const closesAtMinute = Math.max(venueOpensAt + 8 * 60, Math.min(venueClosesAt, spec.latestClose) - earlyClose);
  return {
    name: spec.name,
    kind,
    capacity,
    areaSqm,
    equipment: spec.equipment.filter((item) => chosen.has(item)),
    opensAtMinute: venueOpensAt,
    closesAtMinute,
    openWeekdays: [...weekdays],
    pricePerHour: kopecks(random, spec.priceRoubles, district.priceFactor, 50),
  };
}

function addOnCodes(random: Random, hasStudio: boolean): AddOnCode[] {
  // Every venue can at least provide its sound and light engineer.
  const codes: AddOnCode[] = ['TECH_SUPPORT'];
  for (const [code, probability] of OPTIONAL_ADD_ONS) if (random.chance(probability)) codes.push(code);
  // Recording help needs a studio; most venues that have one offer it.
  if (hasStudio && random.chance(0.9)) codes.push('MUSIC_RECORDING');
  return codes;
}

/** A price in kopecks, rounded to `roundRoubles` whole roubles. */
function kopecks(random: Random, [min, max]: [number, number], factor: number, roundRoubles: number): number {
  const roubles = Math.round((random.int(min, max) * factor) / roundRoubles) * roundRoubles;
  return Math.max(roundRoubles, roubles) * 100;
}

function describeVenue(district: DistrictSpec, kinds: RoomKind[], opensAt: number, closesAt: number, weekdays: number[]): string {
  const okrug = district.town.endsWith(` ${district.name}`)
    ? `городской округ ${district.name}`
    : `${district.name} городской округ`;
  const rooms = kinds.map((kind) => ROOM_KINDS[kind].name.toLowerCase());
  const roomList = rooms.length === 1 ? rooms[0] : `${rooms.slice(0, -1).join(', ')} и ${rooms[rooms.length - 1]}`;
  const closedDays = EVERY_DAY.filter((day) => !weekdays.includes(day)).map((day) => WEEKDAY_NAMES[day]);
  const dayOff = closedDays.length > 0 ? `, выходной — ${closedDays.join(', ')}` : ', без выходных';
  return (
    `Муниципальное учреждение культуры (${okrug}). Для мероприятий, репетиций и занятий: ${roomList}. ` +
    `Часы работы: ${clock(opensAt)}–${clock(closesAt)}${dayOff}.`
  );
}

function clock(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
