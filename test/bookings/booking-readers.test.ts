import {
  adminStats,
  cancelBooking,
  getBookingForActor,
  listOperatorTasks,
  listResidentBookings,
  recordCallback,
  submitAddOns,
} from '../../src/bookings';
import { STATUS_LABEL_RU } from '../../src/domain/status';
import { SlaStateKey, TaskDueAtKey } from '../../workflows/search-attributes';
import { waitFor } from '../support/wait';
import { adminVenueStats } from '../../src/bookings/venue-stats';
import { startBookingHarness, type BookingHarness } from './harness';
import { errorTypeOf, submitFresh, waitForEvent } from './flow';

let h: BookingHarness;
beforeAll(async () => {
  h = await startBookingHarness('readers');
}, 120_000);
afterAll(() => h?.close());

test('when a booking is read, then its owner, an operator of its district and an admin see it, and anyone else gets NOT_FOUND', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps);
  for (const actor of [h.fixtures.resident, h.fixtures.operator, h.fixtures.admin]) {
    expect((await getBookingForActor(deps, actor, booking.id)).id).toBe(booking.id);
  }
  expect(await errorTypeOf(getBookingForActor(deps, h.fixtures.otherResident, booking.id))).toBe('NOT_FOUND');
  expect(await errorTypeOf(getBookingForActor(deps, h.fixtures.otherOperator, booking.id))).toBe('NOT_FOUND');
  expect(await errorTypeOf(getBookingForActor(deps, h.fixtures.admin, 'not-a-uuid'))).toBe('NOT_FOUND');

  const mine = await listResidentBookings(deps, h.fixtures.resident.id);
  expect(mine.items.map((summary) => summary.id)).toContain(booking.id);
  expect(mine.total).toBe(mine.items.length);
  expect((await listResidentBookings(deps, h.fixtures.otherResident.id)).items).not.toContainEqual(expect.objectContaining({ id: booking.id }));
});

test('when operators list their tasks, then they see open bookings of their districts only, earliest deadline first, with the SLA state', async () => {
  const deps = h.deps({ callbackSla: { ms: 2_000 } });
  const late = await submitFresh(h, deps);
  const slow = await submitFresh(h, h.deps({ callbackSla: { ms: 600_000 } }));
  const inConfirmation = await submitFresh(h, h.deps());
  await recordCallback(h.deps(), h.fixtures.operator, inConfirmation.id, { outcome: 'AGREED' });
  await submitAddOns(h.deps(), h.fixtures.resident, inConfirmation.id);
  const done = await submitFresh(h, h.deps());
  await cancelBooking(h.deps(), h.fixtures.resident, done.id, { reason: 'Не нужно' });
  await waitForEvent(h, deps, late.id, 'SLA_REMINDED');

  const page = await listOperatorTasks(deps, h.fixtures.operator);
  const tasks = page.items;
  expect(page.total).toBe(tasks.length);
  const ids = tasks.map((task) => task.bookingId);
  expect(ids).toEqual(expect.arrayContaining([late.id, slow.id, inConfirmation.id]));
  expect(ids).not.toContain(done.id);
  expect(ids.indexOf(late.id)).toBeLessThan(ids.indexOf(slow.id));
  const dueTimes = tasks.map((task) => (task.dueAt ? Date.parse(task.dueAt) : Infinity));
  expect([...dueTimes].sort((a, b) => a - b)).toEqual(dueTimes);
  // Reminded at 1 s; on a slow machine it may be escalated (2 s) or overdue (4 s) by the time it is read.
  expect(tasks.find((task) => task.bookingId === late.id)).toMatchObject({ kind: 'CALLBACK', slaState: expect.stringMatching(/^(REMINDED|ESCALATED|OVERDUE)$/) });
  expect(tasks.find((task) => task.bookingId === inConfirmation.id)).toMatchObject({ kind: 'CONFIRMATION', slaState: 'ON_TIME' });

  // A page at a time, in the same order, each task once.
  const pages = await Promise.all(tasks.map((_, offset) => listOperatorTasks(deps, h.fixtures.operator, { offset, limit: 1 })));
  expect(pages.flatMap((one) => one.items.map((task) => task.bookingId))).toEqual(ids);
  expect(pages.map((one) => one.total)).toEqual(tasks.map(() => tasks.length));

  // How the service chases its staff is not part of the resident's history.
  const asStaff = await getBookingForActor(deps, h.fixtures.operator, late.id);
  const asResident = await getBookingForActor(deps, h.fixtures.resident, late.id);
  const staffTimeline = asStaff.timeline.map((event) => event.type);
  const residentTimeline = asResident.timeline.map((event) => event.type);
  expect(staffTimeline).toContain('SLA_REMINDED');
  expect(asStaff.slaState).toMatch(/^(REMINDED|ESCALATED|OVERDUE)$/);
  expect(asResident.slaState).toBeNull();
  expect(residentTimeline).toEqual(staffTimeline.filter((type) => !type.startsWith('SLA_')));
  expect(residentTimeline).toContain('SUBMITTED');

  expect(await listOperatorTasks(deps, h.fixtures.otherOperator)).toMatchObject({ items: [], total: 0 });
  expect(await errorTypeOf(listOperatorTasks(deps, h.fixtures.resident))).toBe('FORBIDDEN');
  await cancelBooking(h.deps(), h.fixtures.operator, late.id, { reason: 'Уборка' });
});

test('when an admin asks for statistics, then each district shows submissions, outcomes, the median time to call-back and SLA breaches', async () => {
  const from = new Date();
  const deps = h.deps({ callbackSla: { ms: 1_000 } });
  const breached = await submitFresh(h, deps);
  await waitForEvent(h, deps, breached.id, 'SLA_ESCALATED');
  await recordCallback(deps, h.fixtures.operator, breached.id, { outcome: 'REJECTED', note: 'Нет' });
  const cancelled = await submitFresh(h, h.deps());
  await recordCallback(h.deps(), h.fixtures.operator, cancelled.id, { outcome: 'AGREED' });
  await cancelBooking(h.deps(), h.fixtures.resident, cancelled.id, { reason: 'Передумал' });

  const stats = await waitFor(
    async () => (await adminStats(deps, h.fixtures.admin, { from, to: new Date(Date.now() + 1_000) })).find((row) => row.districtId === h.fixtures.districtId),
    { description: 'statistics of the test district' },
  );
  expect(stats).toMatchObject({ submitted: 2, confirmed: 0, rejected: 1, cancelled: 1, expired: 0, slaBreaches: 1 });
  expect(stats.medianSecondsToCallback).toBeGreaterThan(0);
  expect(await errorTypeOf(adminStats(deps, h.fixtures.operator, { from, to: new Date() }))).toBe('FORBIDDEN');
});

test('when the only call so far went unanswered, then the median time to call-back counts it, and every other district shows zeros', async () => {
  const from = new Date();
  const deps = h.deps();
  const unanswered = await submitFresh(h, deps);
  await recordCallback(deps, h.fixtures.operator, unanswered.id, { outcome: 'NO_ANSWER' });
  const stats = await waitFor(
    async () => (await adminStats(deps, h.fixtures.admin, { from, to: new Date(Date.now() + 1_000) })).find((row) => row.districtId === h.fixtures.districtId),
    { description: 'statistics of the test district' },
  );
  expect(stats.submitted).toBe(1);
  expect(stats.medianSecondsToCallback).toBeGreaterThan(0);
  // Every district has its row: the quiet ones with zeros, not missing.
  const all = await adminStats(deps, h.fixtures.admin, { from, to: new Date(Date.now() + 1_000) });
  expect(all).toHaveLength(await h.prisma.district.count());
  expect(all.filter((row) => row.districtId !== h.fixtures.districtId).every((row) => row.submitted === 0 && row.medianSecondsToCallback === null)).toBe(true);
  await cancelBooking(deps, h.fixtures.resident, unanswered.id, { reason: 'Передумал' });
});

test('when a booking changes state, then its search attributes let the Temporal UI find it by status, venue, district and date', async () => {
  const deps = h.deps();
  const booking = await submitFresh(h, deps);
  // From the submission on, the call-back's deadline is searchable (no SLA step has run yet).
  const submitted = (await h.client.workflow.getHandle(booking.workflowId).describe()).typedSearchAttributes;
  expect((submitted.get(TaskDueAtKey) as Date).toISOString()).toBe(booking.dueAt);
  expect(submitted.get(SlaStateKey)).toBe('ON_TIME');
  await recordCallback(deps, h.fixtures.operator, booking.id, { outcome: 'AGREED' });
  const query = `BookingStatus = 'ADDONS' AND VenueId = '${h.fixtures.venueId}' AND District = 'Тестовый округ ${h.fixtures.districtId}' AND WorkflowId = '${booking.workflowId}'`;
  await waitFor(
    async () => {
      for await (const execution of h.client.workflow.list({ query })) return execution.workflowId === booking.workflowId;
      return false;
    },
    { timeoutMs: 15_000, intervalMs: 200, description: 'the booking in visibility' },
  );
  const description = await h.client.workflow.getHandle(booking.workflowId).describe();
  const eventDate = description.typedSearchAttributes.getAll().find((pair) => pair.key.name === 'EventDate');
  expect((eventDate?.value as Date).toISOString()).toBe(booking.startsAt);
  // The service starts the workflow with its place already searchable: no upsert of its own.
  const history = await h.client.workflow.getHandle(booking.workflowId).fetchHistory();
  const started = history.events?.[0].workflowExecutionStartedEventAttributes;
  expect(Object.keys(started?.searchAttributes?.indexedFields ?? {}).sort()).toEqual(['District', 'EventDate', 'VenueId']);
  // Started with a revision: the behaviours once added with patched() leave no markers (nor TemporalChangeVersion writes).
  expect(history.events?.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_patch')).toEqual([]);
  expect(description.typedSearchAttributes.getAll().map((pair) => pair.key.name)).not.toContain('TemporalChangeVersion');
  const attributes = JSON.stringify(description.raw.workflowExecutionInfo?.searchAttributes ?? {});
  expect(attributes).not.toContain(Buffer.from('+79161234567').toString('base64').slice(0, 12));
  const metadata = await h.client.workflow.getHandle(booking.workflowId).query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  // Russian, then the same in English.
  expect(metadata.currentDetails).toMatch(/^Ждём: выбор доп\. услуг заявителем до (\d\d\.\d\d\.\d{4} \d\d:\d\d) \(мск\); SLA: (\w+)\nWaiting for the applicant’s choice of extra services until \1 \(Moscow time\); SLA: \2$/);
  // Without a task, the status: its Russian label, then its code.
  await cancelBooking(deps, h.fixtures.resident, booking.id, { reason: 'Планы изменились' });
  const closed = await h.client.workflow.getHandle(booking.workflowId).query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(closed.currentDetails).toBe(`Статус: ${STATUS_LABEL_RU.CANCELLED}\nStatus: CANCELLED`);
});

test('when a call-back misses its deadline, then one visibility query finds it among the overdue call-backs, and not once it is done', async () => {
  const deps = h.deps({ callbackSla: { ms: 1_000 } });
  const late = await submitFresh(h, deps);
  const onTime = await submitFresh(h, h.deps());
  await waitForEvent(h, deps, late.id, 'SLA_ESCALATED');
  const overdueCallbacks = async () => {
    const query = `BookingStatus = 'AWAITING_CALLBACK' AND TaskDueAt < '${new Date().toISOString()}' AND VenueId = '${h.fixtures.venueId}'`;
    const ids: string[] = [];
    for await (const execution of h.client.workflow.list({ query })) ids.push(execution.workflowId);
    return ids;
  };
  await waitFor(async () => (await overdueCallbacks()).includes(late.workflowId), { timeoutMs: 15_000, intervalMs: 200, description: 'the late booking among overdue call-backs' });
  expect(await overdueCallbacks()).not.toContain(onTime.workflowId);

  await recordCallback(deps, h.fixtures.operator, late.id, { outcome: 'AGREED' });
  await waitFor(async () => !(await overdueCallbacks()).includes(late.workflowId), { timeoutMs: 15_000, intervalMs: 200, description: 'the booking out of the overdue list' });
  const description = await h.client.workflow.getHandle(late.workflowId).describe();
  const slaState = description.typedSearchAttributes.getAll().find((pair) => pair.key.name === 'SlaState');
  expect(slaState?.value).toBe('ON_TIME');
});

test('when an admin opens a district, then each venue shows its figures with the median time to call-back', async () => {
  const from = new Date();
  const deps = h.deps();
  const called = await submitFresh(h, deps);
  await recordCallback(deps, h.fixtures.operator, called.id, { outcome: 'AGREED' });
  await submitFresh(h, deps);
  const venue = await waitFor(
    async () =>
      (await adminVenueStats(deps, h.fixtures.admin, { from, to: new Date(Date.now() + 1_000) }, h.fixtures.districtId)).find(
        (row) => row.venueId === h.fixtures.venueId && row.submitted === 2 && row.medianSecondsToCallback !== null,
      ),
    { description: 'statistics of the test venue' },
  );
  expect(venue).toMatchObject({ confirmed: 0, rejected: 0, expired: 0, cancelled: 0, slaBreaches: 0 });
  expect(venue.medianSecondsToCallback).toBeGreaterThan(0);
  expect(await errorTypeOf(adminVenueStats(deps, h.fixtures.operator, { from, to: new Date() }, h.fixtures.districtId))).toBe('FORBIDDEN');
});
