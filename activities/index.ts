import type { ActivityDeps } from './deps';
import { createEmailActivities } from './email/email.activities';
import { createHoldActivities } from './hold.activities';
import { createProjectionActivities } from './projection.activities';

export type { ActivityDeps, EventActor } from './deps';
export type { HeldBooking, HoldSlotInput, HoldSlotResult } from './hold.activities';
export type { ProjectionInput, TimelineEventInput } from './projection.activities';
export type { BookingEmailKind, BookingEmailRequest, BookingEmailData } from './email/kinds';

/** All booking activities over injected clients; built once per worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createHoldActivities(deps),
    ...createProjectionActivities(deps),
    ...createEmailActivities(deps),
  };
}

export type BookingActivities = ReturnType<typeof createActivities>;
