import type { ParsedMail } from 'mailparser';
import type { temporal } from '@temporalio/proto';
import { getBookingForActor, submitBooking, type BookingServiceDeps, type BookingView } from '../../src/bookings';
import type { Actor } from '../../src/domain/actor';
import type { BookingRequestBody } from '../../src/domain/booking-request';
import type { BookingStatus } from '../../src/domain/status';
import { bookingCodeFor, bookingIdFor } from '../../src/bookings/ids';
import type { BookingPolicy } from '../../src/domain/policy';
import type { BookingWorkflowInput } from '../../workflows/booking.messages';
import { waitFor } from '../support/wait';
import type { BookingHarness } from './harness';
import { bookingBody, newKey } from './requests';

/** Submits a booking for a fresh room (one day ahead unless told) and returns its view. */
export async function submitFresh(
  h: BookingHarness,
  deps: BookingServiceDeps,
  options: { resident?: Actor; startInMs?: number; durationMs?: number; addOns?: BookingRequestBody['addOns'] } = {},
): Promise<BookingView> {
  const roomId = await h.fixtures.newRoom();
  const body = bookingBody(roomId, options.startInMs ?? 86_400_000, options.durationMs ?? 3_600_000, { addOns: options.addOns });
  return submitBooking(deps, { residentId: (options.resident ?? h.fixtures.resident).id, idempotencyKey: newKey(), body });
}

/** Polls the database (as the admin sees it) until the booking reaches `status`. */
export function waitForStatus(h: BookingHarness, deps: BookingServiceDeps, bookingId: string, status: BookingStatus, timeoutMs = 20_000): Promise<BookingView> {
  return waitFor(
    async () => {
      const view = await getBookingForActor(deps, h.fixtures.admin, bookingId);
      return view.status === status && view;
    },
    { timeoutMs, intervalMs: 100, description: `booking ${bookingId} to be ${status}` },
  );
}

/** Polls until the booking's timeline has an event of `type`. */
export function waitForEvent(h: BookingHarness, deps: BookingServiceDeps, bookingId: string, type: string, timeoutMs = 20_000): Promise<BookingView> {
  return waitFor(
    async () => {
      const view = await getBookingForActor(deps, h.fixtures.admin, bookingId);
      return view.timeline.some((event) => event.type === type) && view;
    },
    { timeoutMs, intervalMs: 100, description: `event ${type} on booking ${bookingId}` },
  );
}

export async function historyOf(h: BookingHarness, workflowId: string): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events ?? [];
}

/** Names of the updates the workflow accepted, in order, from its history. */
export async function acceptedUpdates(h: BookingHarness, workflowId: string): Promise<string[]> {
  return (await historyOf(h, workflowId))
    .map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
    .filter((name): name is string => Boolean(name));
}

/** Awaits `promise` and returns the domain error type it was rejected with. */
export async function errorTypeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { type?: string }).type ?? `untyped: ${String(error)}`;
  }
  return 'no error';
}

/** Polls the test inbox until a message to `address` matches. */
export function waitForMail(h: BookingHarness, address: string, match: (mail: ParsedMail) => boolean | undefined, timeoutMs = 15_000): Promise<ParsedMail> {
  return waitFor(() => h.inbox.to(address).find(match), { timeoutMs, description: `an e-mail to ${address}` });
}

/**
 * Waits until the workflow is quiet: every scheduled activity finished and the last event is a
 * completed workflow task (e-mails started by an update run after the update returned).
 */
export function waitForQuietHistory(h: BookingHarness, workflowId: string, timeoutMs = 15_000): Promise<temporal.api.history.v1.IHistoryEvent[]> {
  return waitFor(
    async () => {
      const events = await historyOf(h, workflowId);
      const count = (key: keyof temporal.api.history.v1.IHistoryEvent) => events.filter((event) => event[key]).length;
      const quiet =
        count('activityTaskScheduledEventAttributes') ===
          count('activityTaskCompletedEventAttributes') + count('activityTaskFailedEventAttributes') + count('activityTaskTimedOutEventAttributes') &&
        Boolean(events.at(-1)?.workflowTaskCompletedEventAttributes ?? events.at(-1)?.workflowExecutionCompletedEventAttributes);
      return quiet && events;
    },
    { timeoutMs, intervalMs: 100, description: `workflow ${workflowId} to be quiet` },
  );
}

/** A booking's workflow input as the service would start it, with its Idempotency-Key, for tests that start workflows themselves. */
export async function workflowInputFor(h: BookingHarness, policy: BookingPolicy, revision?: number): Promise<BookingWorkflowInput & { key: string }> {
  const key = newKey();
  const bookingId = bookingIdFor(h.fixtures.resident.id, key);
  const startsAt = new Date(Math.ceil((Date.now() + 86_400_000) / 1000) * 1000);
  const district = await h.prisma.district.findUniqueOrThrow({ where: { id: h.fixtures.districtId } });
  return {
    key,
    bookingId,
    code: bookingCodeFor(bookingId),
    residentId: h.fixtures.resident.id,
    roomId: await h.fixtures.newRoom(),
    venueId: h.fixtures.venueId,
    districtId: h.fixtures.districtId,
    districtName: district.name,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    policy,
    revision,
  };
}
