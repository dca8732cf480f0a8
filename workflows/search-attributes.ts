import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/** Typed search attribute keys (registered on the server as Keyword / Datetime). */
export const BookingStatusKey = defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD);
export const VenueIdKey = defineSearchAttributeKey('VenueId', SearchAttributeType.KEYWORD);
export const DistrictKey = defineSearchAttributeKey('District', SearchAttributeType.KEYWORD);
export const EventDateKey = defineSearchAttributeKey('EventDate', SearchAttributeType.DATETIME);
/** The deadline and SLA state of the current human task; unset when nobody is expected to act. */
export const TaskDueAtKey = defineSearchAttributeKey('TaskDueAt', SearchAttributeType.DATETIME);
export const SlaStateKey = defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD);

/** What the Temporal UI finds a booking by from its start: its venue, district and date. */
export function bookingPlaceAttributes(input: { venueId: number; districtName: string; startsAt: string }): SearchAttributePair[] {
  return [
    { key: VenueIdKey, value: String(input.venueId) },
    { key: DistrictKey, value: input.districtName },
    { key: EventDateKey, value: new Date(input.startsAt) },
  ];
}
