import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Typed search attribute keys (registered on the server as Keyword / Datetime). */
export const BookingStatusKey = defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD);
export const VenueIdKey = defineSearchAttributeKey('VenueId', SearchAttributeType.KEYWORD);
export const DistrictKey = defineSearchAttributeKey('District', SearchAttributeType.KEYWORD);
export const EventDateKey = defineSearchAttributeKey('EventDate', SearchAttributeType.DATETIME);
/** The deadline and SLA state of the current human task; unset when nobody is expected to act. */
export const TaskDueAtKey = defineSearchAttributeKey('TaskDueAt', SearchAttributeType.DATETIME);
export const SlaStateKey = defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD);
